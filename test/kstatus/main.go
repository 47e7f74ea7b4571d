// kstatus judges live objects as Flux, kpt and cli-utils do: it reads a JSON list of objects (a Kubernetes List or
// an array) on stdin, runs sigs.k8s.io/cli-utils/pkg/kstatus/status.Compute on each, and prints one JSON array of
// {"name", "status", "message"} (status: InProgress, Failed, Current, Terminating, NotFound, Unknown).
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sjson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

func main() {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	var items []map[string]interface{}
	var list struct {
		Items []map[string]interface{} `json:"items"`
	}
	// k8s.io's decoder reads integers as int64, as unstructured objects need (metadata.generation).
	if err := k8sjson.Unmarshal(raw, &items); err != nil {
		if err := k8sjson.Unmarshal(raw, &list); err != nil {
			fail(fmt.Errorf("stdin is neither a JSON array nor a List: %w", err))
		}
		items = list.Items
	}
	out := make([]verdict, 0, len(items))
	for _, item := range items {
		u := &unstructured.Unstructured{Object: item}
		v := verdict{Name: u.GetName()}
		res, err := status.Compute(u)
		if err != nil {
			v.Error = err.Error()
		} else {
			v.Status, v.Message = res.Status.String(), res.Message
		}
		out = append(out, v)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kstatus:", err)
	os.Exit(2)
}
