// promrules evaluates Prometheus alerting rules as Prometheus itself does, against samples taken from real /metrics
// scrapes: it reads one JSON request on stdin and prints one JSON answer.
//
//	{"rules": "<rule file>", "scrapes": [{"t": <unix s>, "text": "<exposition>", "labels": {"job": …}, "up": true}],
//	 "interval": 30}
//	  → the rule file is checked as `promtool check rules` does (rulefmt.Parse), the scrapes are stored in a real
//	    TSDB (target labels added, exported_ on a clash, up, staleness markers), and every alerting rule is evaluated
//	    every interval seconds from the first scrape to the last, keeping its state so `for` works; the answer is
//	    each rule with its pending and firing alerts at the last evaluation.
//	{"exprs": ["<PromQL>", …]}
//	  → each expression parsed, with its error or the metric names its selectors select.
//
// An invalid request or rule file exits 1 with the reason on stderr.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/common/model"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/model/textparse"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/rules"
	"github.com/prometheus/prometheus/tsdb"
)

type scrape struct {
	T      float64           `json:"t"`
	Text   string            `json:"text"`
	Labels map[string]string `json:"labels"`
	// Up false: the scrape failed (only up 0 is written, the target's series go stale). Absent: true.
	Up *bool `json:"up"`
}

type request struct {
	Rules    string   `json:"rules"`
	Scrapes  []scrape `json:"scrapes"`
	Interval float64  `json:"interval"`
	Exprs    []string `json:"exprs"`
}

type alertOut struct {
	State       string            `json:"state"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	ActiveAt    float64           `json:"activeAt"`
	Value       float64           `json:"value"`
}

type ruleOut struct {
	Group     string     `json:"group"`
	Name      string     `json:"name"`
	Expr      string     `json:"expr"`
	For       string     `json:"for"`
	Health    string     `json:"health"`
	LastError string     `json:"lastError,omitempty"`
	Alerts    []alertOut `json:"alerts"`
}

type evalOut struct {
	Evaluations int       `json:"evaluations"`
	Rules       []ruleOut `json:"rules"`
}

type exprOut struct {
	Expr    string   `json:"expr"`
	Error   string   `json:"error,omitempty"`
	Metrics []string `json:"metrics"`
}

var promqlParser = parser.NewParser(parser.Options{})

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		fail(fmt.Errorf("stdin is not a JSON request: %w", err))
	}
	var out any
	if req.Exprs != nil {
		out = parseExprs(req.Exprs)
	} else {
		out, err = evaluate(req)
		if err != nil {
			fail(err)
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // expressions read as written: > not \u003e
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "promrules:", err)
	os.Exit(1)
}

func parseExprs(exprs []string) []exprOut {
	out := make([]exprOut, 0, len(exprs))
	for _, e := range exprs {
		o := exprOut{Expr: e, Metrics: []string{}}
		expr, err := promqlParser.ParseExpr(e)
		if err != nil {
			o.Error = err.Error()
		} else {
			o.Metrics = selectedNames(expr)
		}
		out = append(out, o)
	}
	return out
}

// selectedNames: the metric name of each vector selector (by name or an equality matcher on __name__), sorted, once.
func selectedNames(expr parser.Expr) []string {
	seen := map[string]bool{}
	for _, matchers := range parser.ExtractSelectors(expr) {
		for _, m := range matchers {
			if m.Name == labels.MetricName {
				if m.Type == labels.MatchEqual {
					seen[m.Value] = true
				} else {
					seen["{__name__"+m.Type.String()+fmt.Sprintf("%q", m.Value)+"}"] = true
				}
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func evaluate(req request) (*evalOut, error) {
	groups, errs := rulefmt.Parse([]byte(req.Rules), false, model.UTF8Validation, promqlParser, promslog.NewNopLogger())
	if len(errs) > 0 {
		msgs := make([]string, 0, len(errs))
		for _, e := range errs {
			msgs = append(msgs, e.Error())
		}
		return nil, fmt.Errorf("invalid rule file:\n  %s", strings.Join(msgs, "\n  "))
	}
	if len(req.Scrapes) == 0 {
		return nil, errors.New("no scrapes")
	}
	sort.SliceStable(req.Scrapes, func(i, j int) bool { return req.Scrapes[i].T < req.Scrapes[j].T })
	interval := time.Duration(req.Interval * float64(time.Second))
	if interval <= 0 {
		interval = 30 * time.Second
	}

	dir, err := os.MkdirTemp("", "promrules-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	opts := tsdb.DefaultOptions()
	// Synthetic timelines may lie hours before now: a day-long head block accepts them.
	opts.MinBlockDuration = int64(24 * time.Hour / time.Millisecond)
	opts.MaxBlockDuration = opts.MinBlockDuration
	db, err := tsdb.Open(dir, promslog.NewNopLogger(), nil, opts, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := store(db, req.Scrapes); err != nil {
		return nil, err
	}

	engine := promql.NewEngine(promql.EngineOpts{
		MaxSamples:           50_000_000,
		Timeout:              time.Minute,
		EnableAtModifier:     true,
		EnableNegativeOffset: true,
	})
	query := rules.EngineQueryFunc(engine, db)
	type namedRule struct {
		group string
		rule  *rules.AlertingRule
	}
	var alerting []namedRule
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			expr, err := promqlParser.ParseExpr(r.Expr)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.Alert, err)
			}
			alerting = append(alerting, namedRule{g.Name, rules.NewAlertingRule(r.Alert, expr, time.Duration(r.For),
				time.Duration(r.KeepFiringFor), rules.FromMaps(g.Labels, r.Labels), labels.FromMap(r.Annotations),
				labels.EmptyLabels(), "", true, promslog.NewNopLogger())})
		}
	}

	first := seconds(req.Scrapes[0].T)
	last := seconds(req.Scrapes[len(req.Scrapes)-1].T)
	evaluations := 0
	ctx := context.Background()
	for ts := first; !ts.After(last); ts = ts.Add(interval) {
		evaluations++
		for _, nr := range alerting {
			// As the rule group does: an evaluation error is the rule's health, not the end of the run.
			_, err := nr.rule.Eval(ctx, 0, ts, query, nil, 0)
			nr.rule.SetLastError(err)
			if err != nil {
				nr.rule.SetHealth(rules.HealthBad)
			} else {
				nr.rule.SetHealth(rules.HealthGood)
			}
		}
	}

	out := &evalOut{Evaluations: evaluations, Rules: []ruleOut{}}
	for _, nr := range alerting {
		r := nr.rule
		ro := ruleOut{Group: nr.group, Name: r.Name(), Expr: r.Query().String(),
			For: model.Duration(r.HoldDuration()).String(), Health: string(r.Health()), Alerts: []alertOut{}}
		if err := r.LastError(); err != nil {
			ro.LastError = err.Error()
		}
		for _, a := range r.ActiveAlerts() {
			ro.Alerts = append(ro.Alerts, alertOut{State: a.State.String(), Labels: a.Labels.Map(),
				Annotations: a.Annotations.Map(), ActiveAt: float64(a.ActiveAt.UnixMilli()) / 1000, Value: a.Value})
		}
		sort.Slice(ro.Alerts, func(i, j int) bool {
			return labels.FromMap(ro.Alerts[i].Labels).String() < labels.FromMap(ro.Alerts[j].Labels).String()
		})
		out.Rules = append(out.Rules, ro)
	}
	return out, nil
}

func seconds(t float64) time.Time {
	return time.UnixMilli(int64(math.Round(t * 1000)))
}

// store appends every scrape as Prometheus' scrape loop would: the target's labels on each series (a clashing
// exposed label kept as exported_<name>), the synthetic up series, and a staleness marker for each series the target
// exposed last time but not this time.
func store(db *tsdb.DB, scrapes []scrape) error {
	previous := map[string]map[string]labels.Labels{} // target → series key → labels
	for i, s := range scrapes {
		target := labels.FromMap(s.Labels)
		key := target.String()
		ts := seconds(s.T).UnixMilli()
		app := db.Appender(context.Background())
		up := 1.0
		current := map[string]labels.Labels{}
		if s.Up != nil && !*s.Up {
			up = 0
		} else if err := parseInto(s.Text, target, func(l labels.Labels, v float64) error {
			current[l.String()] = l
			_, err := app.Append(0, l, ts, v)
			return err
		}); err != nil {
			_ = app.Rollback()
			return fmt.Errorf("scrape %d (t=%v): %w", i, s.T, err)
		}
		for k, l := range previous[key] {
			if _, ok := current[k]; !ok {
				if _, err := app.Append(0, l, ts, math.Float64frombits(value.StaleNaN)); err != nil {
					_ = app.Rollback()
					return err
				}
			}
		}
		upLabels := labels.NewBuilder(target).Set(labels.MetricName, "up").Labels()
		if _, err := app.Append(0, upLabels, ts, up); err != nil {
			_ = app.Rollback()
			return err
		}
		if err := app.Commit(); err != nil {
			return err
		}
		previous[key] = current
	}
	return nil
}

func parseInto(text string, target labels.Labels, add func(labels.Labels, float64) error) error {
	p := textparse.NewPromParser([]byte(text), labels.NewSymbolTable(), false)
	for {
		entry, err := p.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if entry != textparse.EntrySeries {
			continue
		}
		_, _, v := p.Series()
		var exposed labels.Labels
		p.Labels(&exposed)
		b := labels.NewBuilder(exposed)
		target.Range(func(l labels.Label) {
			if old := exposed.Get(l.Name); old != "" {
				b.Set("exported_"+l.Name, old)
			}
			b.Set(l.Name, l.Value)
		})
		if err := add(b.Labels(), v); err != nil {
			return err
		}
	}
}
