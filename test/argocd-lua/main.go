// Command argocd-lua runs an Argo CD health script the way Argo CD runs a health customization from argocd-cm
// (resource.customizations.health.<group>_<kind>, useOpenLibs not set): gopher-lua (Lua 5.1) with only the package,
// base and table libraries and Argo's "safe" os library, `obj` converted as Argo converts it, the returned table read
// as Argo reads it, a 1 s timeout. test/argocd-health.test.ts runs the shipped health check through it.
//
// Mirrors github.com/argoproj/argo-cd at commit 37ee0097cf851bc2dd7665fc081bbce61a7e836e (Apache-2.0):
//   - util/lua/lua.go: VM.runLuaWithResourceActionParameters (libraries, timeout, globals), VM.ExecuteHealthLua
//     (reading the result), isValidHealthStatusCode, decodeValue;
//   - util/lua/oslib_safe.go: OpenSafeOs, SafeOsLoader, os.time and os.date (copied below, unchanged but for names);
//   - util/lua/health_test.go: getObj (a test case's YAML file → object, sigs.k8s.io/yaml as Argo's test does);
//   - gitops-engine/pkg/health/health.go: HealthStatus (its JSON shape) and the status codes.
//
// Argo's compiled-script cache (a FunctionProto reused across LStates) is left out: it changes when a script is
// compiled, not what it does. The library versions are Argo's at that commit (go.mod): gopher-lua v1.1.2,
// layeh.com/gopher-json 97fed8db8427, sigs.k8s.io/yaml v1.6.0.
//
// stdin:  {"script": "<lua>", "cases": [{"name": "...", "obj": {...}} | {"name": "...", "yaml": "<yaml text>"}]}
//
//	"obj" is converted as the application controller converts a live object (JSON, integers as int64);
//	"yaml" as Argo's own health tests convert a testdata file (sigs.k8s.io/yaml, numbers as float64).
//
// stdout: [{"name": "...", "status": "...", "message": "..."} | {"name": "...", "error": "..."}, ...] in case order;
// "status"/"message" are left out when empty, as in Argo's HealthStatus. Exit status 1 only for unreadable input.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	luajson "layeh.com/gopher-json"
	"sigs.k8s.io/yaml"
)

type input struct {
	Script string      `json:"script"`
	Cases  []inputCase `json:"cases"`
}

type inputCase struct {
	Name string          `json:"name"`
	Obj  json.RawMessage `json:"obj,omitempty"`
	YAML *string         `json:"yaml,omitempty"`
}

type result struct {
	Name    string `json:"name"`
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	Error   string `json:"error,omitempty"`
}

// healthStatus is gitops-engine's health.HealthStatus.
type healthStatus struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

const (
	incorrectReturnType = "expect %s output from Lua script, not %s"
	invalidHealthStatus = "Lua returned an invalid health status"
)

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	var in input
	if err := json.Unmarshal(raw, &in); err != nil {
		fail("stdin is not {\"script\": ..., \"cases\": [...]}: %v", err)
	}
	results := make([]result, 0, len(in.Cases))
	for _, c := range in.Cases {
		r := result{Name: c.Name}
		obj, err := caseObject(c)
		if err != nil {
			fail("case %q: %v", c.Name, err)
		}
		if hs, err := executeHealthLua(obj, in.Script); err != nil {
			r.Error = err.Error()
		} else {
			r.Status, r.Message = hs.Status, hs.Message
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false) // "<string>:1: ..." as Lua writes it
	if err := enc.Encode(results); err != nil {
		fail("writing results: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-lua: "+format+"\n", args...)
	os.Exit(1)
}

// caseObject is the object (unstructured.Unstructured's Object) a case describes.
func caseObject(c inputCase) (map[string]any, error) {
	switch {
	case c.YAML != nil && c.Obj != nil:
		return nil, errors.New(`give "obj" or "yaml", not both`)
	case c.YAML != nil:
		// util/lua/health_test.go getObj
		obj := make(map[string]any)
		if err := yaml.Unmarshal([]byte(*c.YAML), &obj); err != nil {
			return nil, err
		}
		return obj, nil
	case c.Obj != nil:
		// A live object as the controller holds it: k8s.io/apimachinery/pkg/util/json.Unmarshal (what
		// unstructured.UnstructuredJSONScheme decodes with) turns integers into int64, other numbers into float64.
		d := json.NewDecoder(bytes.NewReader(c.Obj))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		obj, ok := convertNumbers(v).(map[string]any)
		if !ok {
			return nil, errors.New(`"obj" is not a JSON object`)
		}
		return obj, nil
	}
	return nil, errors.New(`no "obj" and no "yaml"`)
}

func convertNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = convertNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = convertNumbers(e)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

// runLua is util/lua/lua.go VM.runLuaWithResourceActionParameters with UseOpenLibs false (a customization from
// argocd-cm without useOpenLibs: true) and no action parameters (a health check has none).
func runLua(obj map[string]any, script string) (*lua.LState, error) {
	l := lua.NewState(lua.Options{
		SkipOpenLibs: true,
	})
	// Opens table library to allow access to functions to manipulate tables
	for _, pair := range []struct {
		n string
		f lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		// load our 'safe' version of the OS library
		{lua.OsLibName, OpenSafeOs},
	} {
		if err := l.CallByParam(lua.P{
			Fn:      l.NewFunction(pair.f),
			NRet:    0,
			Protect: true,
		}, lua.LString(pair.n)); err != nil {
			panic(err)
		}
	}
	// preload our 'safe' version of the OS library. Allows the 'local os = require("os")' to work
	l.PreloadModule(lua.OsLibName, SafeOsLoader)

	ctx, cancel := context.WithTimeout(context.Background(), 1*time.Second)
	defer cancel()
	l.SetContext(ctx)

	// Inject action parameters as a hash table global variable
	actionParams := l.CreateTable(0, 0)
	l.SetGlobal("actionParams", actionParams) // Set the actionParams table as a global variable

	objectValue := decodeValue(l, obj)
	l.SetGlobal("obj", objectValue)

	fn, err := l.LoadString(script)
	if err == nil {
		l.Push(fn)
		err = l.PCall(0, lua.MultRet, nil)
	}

	// Remove the default lua stack trace from execution errors since these
	// errors will make it back to the user
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		if apiErr.Type == lua.ApiErrorRun {
			apiErr.StackTrace = ""
			err = apiErr
		}
	}

	return l, err
}

// executeHealthLua is util/lua/lua.go VM.ExecuteHealthLua.
func executeHealthLua(obj map[string]any, script string) (*healthStatus, error) {
	l, err := runLua(obj, script)
	defer l.Close()
	if err != nil {
		return nil, err
	}
	returnValue := l.Get(-1)
	if returnValue.Type() == lua.LTTable {
		jsonBytes, err := luajson.Encode(returnValue)
		if err != nil {
			return nil, err
		}
		hs := &healthStatus{}
		err = json.Unmarshal(jsonBytes, hs)
		if err != nil {
			// Validate if the error is caused by an empty object
			typeError := &json.UnmarshalTypeError{Value: "array", Type: reflect.TypeFor[*healthStatus]()}
			if errors.As(err, &typeError) {
				return &healthStatus{}, nil
			}
			return nil, err
		}
		if !isValidHealthStatusCode(hs.Status) {
			return &healthStatus{
				Status:  "Unknown",
				Message: invalidHealthStatus,
			}, nil
		}

		return hs, nil
	} else if returnValue.Type() == lua.LTNil {
		return &healthStatus{}, nil
	}
	return nil, fmt.Errorf(incorrectReturnType, "table", returnValue.Type().String())
}

func isValidHealthStatusCode(statusCode string) bool {
	switch statusCode {
	case "Unknown", "Progressing", "Suspended", "Healthy", "Degraded", "Missing":
		return true
	}
	return false
}

// Took logic from the link below and added the int, int32, and int64 types since the value would have type int64
// while actually running in the controller and it was not reproducible through testing.
// https://github.com/layeh/gopher-json/blob/97fed8db84274c421dbfffbb28ec859901556b97/json.go#L154
func decodeValue(l *lua.LState, value any) lua.LValue {
	switch converted := value.(type) {
	case bool:
		return lua.LBool(converted)
	case float64:
		return lua.LNumber(converted)
	case string:
		return lua.LString(converted)
	case json.Number:
		return lua.LString(converted)
	case int:
		return lua.LNumber(converted)
	case int32:
		return lua.LNumber(converted)
	case int64:
		return lua.LNumber(converted)
	case []any:
		arr := l.CreateTable(len(converted), 0)
		for _, item := range converted {
			arr.Append(decodeValue(l, item))
		}
		return arr
	case map[string]any:
		tbl := l.CreateTable(0, len(converted))
		for key, item := range converted {
			tbl.RawSetH(lua.LString(key), decodeValue(l, item))
		}
		return tbl
	case nil:
		return lua.LNil
	}

	return lua.LNil
}

// --- util/lua/oslib_safe.go, unchanged ---
//
// oslib_safe contains a subset of the lua OS library. For security reasons, we do not expose
// the entirety of lua OS library to custom actions, such as ones which can exit, read files, etc.
// Only the safe functions like os.time(), os.date() are exposed. Implementation was copied from
// github.com/yuin/gopher-lua.
//
// Note (rbi-operator): OpenSafeOs registers its functions under lua.TabLibName ("table"), which OpenTable has
// already registered, so RegisterModule returns the table library unchanged: no global `os` exists in Argo CD's VM.
// A script reaches os.time/os.date only through `local os = require("os")` (SafeOsLoader). Copied as is, on purpose.

func OpenSafeOs(l *lua.LState) int {
	tabmod := l.RegisterModule(lua.TabLibName, osFuncs)
	l.Push(tabmod)
	return 1
}

func SafeOsLoader(l *lua.LState) int {
	mod := l.SetFuncs(l.NewTable(), osFuncs)
	l.Push(mod)
	return 1
}

var osFuncs = map[string]lua.LGFunction{
	"time": osTime,
	"date": osDate,
}

func osTime(l *lua.LState) int {
	if l.GetTop() == 0 {
		l.Push(lua.LNumber(time.Now().Unix()))
	} else {
		tbl := l.CheckTable(1)
		sec := getIntField(tbl, "sec", 0)
		minutes := getIntField(tbl, "min", 0)
		hour := getIntField(tbl, "hour", 12)
		day := getIntField(tbl, "day", -1)
		month := getIntField(tbl, "month", -1)
		year := getIntField(tbl, "year", -1)
		isdst := getBoolField(tbl, "isdst", false)
		t := time.Date(year, time.Month(month), day, hour, minutes, sec, 0, time.Local)
		// TODO dst
		if false {
			print(isdst)
		}
		l.Push(lua.LNumber(t.Unix()))
	}
	return 1
}

func getIntField(tb *lua.LTable, key string, v int) int {
	ret := tb.RawGetString(key)
	if ln, ok := ret.(lua.LNumber); ok {
		return int(ln)
	}
	return v
}

func getBoolField(tb *lua.LTable, key string, v bool) bool {
	ret := tb.RawGetString(key)
	if lb, ok := ret.(lua.LBool); ok {
		return bool(lb)
	}
	return v
}

func osDate(l *lua.LState) int {
	t := time.Now()
	cfmt := "%c"
	if l.GetTop() >= 1 {
		cfmt = l.CheckString(1)
		if strings.HasPrefix(cfmt, "!") {
			t = time.Now().UTC()
			cfmt = strings.TrimLeft(cfmt, "!")
		}
		if l.GetTop() >= 2 {
			t = time.Unix(l.CheckInt64(2), 0)
		}
		if strings.HasPrefix(cfmt, "*t") {
			ret := l.NewTable()
			ret.RawSetString("year", lua.LNumber(t.Year()))
			ret.RawSetString("month", lua.LNumber(t.Month()))
			ret.RawSetString("day", lua.LNumber(t.Day()))
			ret.RawSetString("hour", lua.LNumber(t.Hour()))
			ret.RawSetString("min", lua.LNumber(t.Minute()))
			ret.RawSetString("sec", lua.LNumber(t.Second()))
			ret.RawSetString("wday", lua.LNumber(t.Weekday()+1))
			// TODO yday & dst
			ret.RawSetString("yday", lua.LNumber(0))
			ret.RawSetString("isdst", lua.LFalse)
			l.Push(ret)
			return 1
		}
	}
	l.Push(lua.LString(strftime(t, cfmt)))
	return 1
}

var cDateFlagToGo = map[byte]string{
	'a': "mon", 'A': "Monday", 'b': "Jan", 'B': "January", 'c': "02 Jan 06 15:04 MST", 'd': "02",
	'F': "2006-01-02", 'H': "15", 'I': "03", 'm': "01", 'M': "04", 'p': "PM", 'P': "pm", 'S': "05",
	'x': "15/04/05", 'X': "15:04:05", 'y': "06", 'Y': "2006", 'z': "-0700", 'Z': "MST",
}

func strftime(t time.Time, cfmt string) string {
	sc := newFlagScanner('%', "", "", cfmt)
	for c, eos := sc.Next(); !eos; c, eos = sc.Next() {
		if !sc.ChangeFlag {
			if sc.HasFlag {
				if v, ok := cDateFlagToGo[c]; ok {
					sc.AppendString(t.Format(v))
				} else {
					switch c {
					case 'w':
						sc.AppendString(strconv.Itoa(int(t.Weekday())))
					default:
						sc.AppendChar('%')
						sc.AppendChar(c)
					}
				}
				sc.HasFlag = false
			} else {
				sc.AppendChar(c)
			}
		}
	}

	return sc.String()
}

type flagScanner struct {
	flag       byte
	start      string
	end        string
	buf        []byte
	str        string
	Length     int
	Pos        int
	HasFlag    bool
	ChangeFlag bool
}

func newFlagScanner(flag byte, start, end, str string) *flagScanner {
	return &flagScanner{flag, start, end, make([]byte, 0, len(str)), str, len(str), 0, false, false}
}

func (fs *flagScanner) AppendString(str string) { fs.buf = append(fs.buf, str...) }

func (fs *flagScanner) AppendChar(ch byte) { fs.buf = append(fs.buf, ch) }

func (fs *flagScanner) String() string { return string(fs.buf) }

func (fs *flagScanner) Next() (byte, bool) {
	c := byte('\000')
	fs.ChangeFlag = false
	if fs.Pos == fs.Length {
		if fs.HasFlag {
			fs.AppendString(fs.end)
		}
		return c, true
	}
	c = fs.str[fs.Pos]
	if c == fs.flag {
		if fs.Pos < (fs.Length-1) && fs.str[fs.Pos+1] == fs.flag {
			fs.HasFlag = false
			fs.AppendChar(fs.flag)
			fs.Pos += 2
			return fs.Next()
		} else if fs.Pos != fs.Length-1 {
			if fs.HasFlag {
				fs.AppendString(fs.end)
			}
			fs.AppendString(fs.start)
			fs.ChangeFlag = true
			fs.HasFlag = true
		}
	}
	fs.Pos++
	return c, false
}
