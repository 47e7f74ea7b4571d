// kstatus-poller: a peer of the benchmark. It polls the benchmark's objects with kstatus's StatusPoller
// (sigs.k8s.io/cli-utils/pkg/kstatus/polling, as Flux's health checks and kpt use it: the default caching cluster
// reader, which LISTs every kind it needs in the namespace once per poll), aggregates per instance (Current when
// every listed object is Current) and prints one JSON line with a timestamp whenever an instance's aggregate or its
// pods (the Deployment's generated ReplicaSets and Pods) change.
//
//	kstatus-poller --kubeconfig <file> --inventory <file> [--poll-interval 2s] [--qps 50] [--burst 300]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/cli-utils/pkg/object"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"
)

// inventoryEntry is one instance of the inventory file the benchmark writes (bench/peers/inventory.ts).
type inventoryEntry struct {
	Instance  string `json:"instance"`
	Namespace string `json:"namespace"`
	Objects   []struct {
		Group string `json:"group"`
		Kind  string `json:"kind"`
		Name  string `json:"name"`
	} `json:"objects"`
}

// podState is a pod kstatus reports under a Deployment (through its ReplicaSets).
type podState struct {
	Name  string `json:"name"`
	Ready bool   `json:"ready"`
}

// line is what the benchmark reads (bench/peers/inventory.ts PeerLine).
type line struct {
	TS       float64    `json:"ts"`
	Instance string     `json:"instance,omitempty"`
	Ready    bool       `json:"ready"`
	Status   string     `json:"status,omitempty"`
	Pods     []podState `json:"pods,omitempty"`
	Synced   bool       `json:"synced,omitempty"`
	Error    string     `json:"error,omitempty"`
}

type instanceState struct {
	objects map[object.ObjMetadata]*event.ResourceStatus
	want    int
	last    string // JSON of the last printed (status, pods)
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	inventoryFile := flag.String("inventory", "", "the benchmark's inventory (JSON)")
	interval := flag.Duration("poll-interval", 2*time.Second, "poll interval (cli-utils' status command defaults to 2s)")
	qps := flag.Float64("qps", 50, "client QPS (Flux's controllers default to 50)")
	burst := flag.Int("burst", 300, "client burst (Flux's controllers default to 300)")
	flag.Parse()
	if err := run(*kubeconfig, *inventoryFile, *interval, float32(*qps), *burst); err != nil {
		fmt.Fprintf(os.Stderr, "kstatus-poller: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, inventoryFile string, interval time.Duration, qps float32, burst int) error {
	raw, err := os.ReadFile(inventoryFile)
	if err != nil {
		return fmt.Errorf("reading the inventory: %w", err)
	}
	var inventory []inventoryEntry
	if err := json.Unmarshal(raw, &inventory); err != nil {
		return fmt.Errorf("parsing the inventory %s: %w", inventoryFile, err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("loading kubeconfig %s: %w", kubeconfig, err)
	}
	cfg.QPS, cfg.Burst = qps, burst
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return fmt.Errorf("building the HTTP client: %w", err)
	}
	mapper, err := apiutil.NewDynamicRESTMapper(cfg, httpClient)
	if err != nil {
		return fmt.Errorf("building the REST mapper: %w", err)
	}
	c, err := client.New(cfg, client.Options{Mapper: mapper, HTTPClient: httpClient})
	if err != nil {
		return fmt.Errorf("building the client: %w", err)
	}
	// As Flux's kustomize-controller builds its poller: the default status readers and caching cluster reader.
	poller := polling.NewStatusPoller(c, mapper, polling.Options{})

	owner := map[object.ObjMetadata]string{}
	instances := map[string]*instanceState{}
	var ids object.ObjMetadataSet
	for _, inst := range inventory {
		st := &instanceState{objects: map[object.ObjMetadata]*event.ResourceStatus{}, want: len(inst.Objects)}
		instances[inst.Instance] = st
		for _, o := range inst.Objects {
			id := object.ObjMetadata{
				GroupKind: schema.GroupKind{Group: o.Group, Kind: o.Kind},
				Namespace: inst.Namespace,
				Name:      o.Name,
			}
			owner[id] = inst.Instance
			ids = append(ids, id)
		}
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	out := json.NewEncoder(os.Stdout)
	reported := 0
	synced := false
	for ev := range poller.Poll(ctx, ids, polling.PollOptions{PollInterval: interval}) {
		switch ev.Type {
		case event.ErrorEvent:
			_ = out.Encode(line{TS: now(), Error: ev.Error.Error()})
			return fmt.Errorf("poller stopped: %w", ev.Error)
		case event.ResourceUpdateEvent:
			name := owner[ev.Resource.Identifier]
			st := instances[name]
			if st == nil {
				continue
			}
			if _, seen := st.objects[ev.Resource.Identifier]; !seen {
				reported++
			}
			st.objects[ev.Resource.Identifier] = ev.Resource
			if len(st.objects) < st.want {
				continue // not every object polled once yet
			}
			agg, pods := aggregate(st)
			sig, _ := json.Marshal(struct {
				S string
				P []podState
			}{agg, pods})
			if string(sig) != st.last {
				st.last = string(sig)
				_ = out.Encode(line{TS: now(), Instance: name, Ready: agg == status.CurrentStatus.String(), Status: agg, Pods: pods})
			}
			if !synced && reported == len(ids) {
				synced = true
				_ = out.Encode(line{TS: now(), Synced: true})
			}
		}
	}
	return nil
}

// aggregate: Current when every object is Current, else the first non-Current status (by kstatus's order of
// severity: Failed, then InProgress, then the rest); the pods found under the objects, sorted by name.
func aggregate(st *instanceState) (string, []podState) {
	agg := status.CurrentStatus
	rank := map[status.Status]int{status.FailedStatus: 3, status.InProgressStatus: 2, status.UnknownStatus: 1, status.NotFoundStatus: 1, status.TerminatingStatus: 1}
	pods := []podState{}
	for _, rs := range st.objects {
		if rank[rs.Status] > rank[agg] {
			agg = rs.Status
		}
		pods = appendPods(pods, rs.GeneratedResources)
	}
	sort.Slice(pods, func(i, j int) bool { return pods[i].Name < pods[j].Name })
	return agg.String(), pods
}

func appendPods(pods []podState, generated event.ResourceStatuses) []podState {
	for _, g := range generated {
		if g.Identifier.GroupKind.Kind == "Pod" && g.Identifier.GroupKind.Group == "" {
			pods = append(pods, podState{Name: g.Identifier.Name, Ready: g.Status == status.CurrentStatus})
		}
		pods = appendPods(pods, g.GeneratedResources)
	}
	return pods
}

// now is the wall clock in Unix milliseconds (the benchmark maps it onto its own clock).
func now() float64 { return float64(time.Now().UnixNano()) / 1e6 }
