// k8splugin-client reads the operator's k8splugin-compatible API as an ONAP Go client of k8splugin would: it calls
// every read route and decodes each answer with encoding/json into k8splugin's own wire types (copied below: the
// ONAP module is not on the Go module proxy and its types live in internal/ packages), then prints one JSON line per
// route, {"route", "code", "decoded", "error", "count"}, and exits 0 only if every answer decoded.
//
//	k8splugin-client -base-url https://host:8082 -token "$TOKEN" -instance web_instance [-insecure]
//	  [-cloud-region r] [-api-version v1] [-kind Pod] [-labels 'app in (web)'] [-namespace ns] [-callback-url URL]
//
// Decoding is the test: unstructured.Unstructured's UnmarshalJSON refuses a status object without kind
// ("Object 'Kind' is missing"), GVK's members must be capitalised, numbers must fit their Go types.
package main

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ---- Verbatim copies of k8splugin's wire types: github.com/onap/multicloud-k8s at mirror commit f76da968, under
// the Apache License 2.0 (Copyright 2018 Intel Corporation, Inc; © 2021 Samsung Electronics; © 2021, 2022 Orange;
// © 2021 Nokia Bell Labs). From src/k8splugin/internal/app/instance.go (InstanceRequest, InstanceResponse,
// InstanceDbData, InstanceMiniResponse, InstanceStatus), internal/app/query.go (QueryStatus), internal/app/client.go
// (ResourceStatus) and internal/helm/types.go (KubernetesResource, KubernetesResourceTemplate, Hook). Only the
// package qualifier helm. is dropped, and releaseHook (below) stands in for Helm's release.Hook. ----

// InstanceRequest contains the parameters needed for instantiation
// of profiles
type InstanceRequest struct {
	RBName         string            `json:"rb-name"`
	RBVersion      string            `json:"rb-version"`
	ProfileName    string            `json:"profile-name"`
	ReleaseName    string            `json:"release-name"`
	CloudRegion    string            `json:"cloud-region"`
	Labels         map[string]string `json:"labels"`
	OverrideValues map[string]string `json:"override-values"`
}

// InstanceResponse contains the response from instantiation
type InstanceResponse struct {
	ID          string               `json:"id"`
	Request     InstanceRequest      `json:"request"`
	Namespace   string               `json:"namespace"`
	ReleaseName string               `json:"release-name"`
	Resources   []KubernetesResource `json:"resources"`
	Hooks       []*Hook              `json:"-"`
}

// InstanceDbData contains the data to put to Db
type InstanceDbData struct {
	ID                 string               `json:"id"`
	Request            InstanceRequest      `json:"request"`
	Namespace          string               `json:"namespace"`
	Status             string               `json:"status"`
	ReleaseName        string               `json:"release-name"`
	Resources          []KubernetesResource `json:"resources"`
	Hooks              []*Hook              `json:"hooks"`
	HookProgress       string               `json:"hook-progress"`
	PreInstallTimeout  int64                `json:"PreInstallTimeout"`
	PostInstallTimeout int64                `json:"PostInstallTimeout"`
	PreDeleteTimeout   int64                `json:"PreDeleteTimeout"`
	PostDeleteTimeout  int64                `json:"PostDeleteTimeout"`
	PreUpgradeTimeout  int64                `json:"PreUpgradeTimeout"`
	PostUpgradeTimeout int64                `json:"PostUpgradeTimeout"`
}

// InstanceMiniResponse contains the response from instantiation
// It does NOT include the created resources.
// Use the regular GET to get the created resources for a particular instance
type InstanceMiniResponse struct {
	ID          string          `json:"id"`
	Request     InstanceRequest `json:"request"`
	ReleaseName string          `json:"release-name"`
	Namespace   string          `json:"namespace"`
}

// InstanceStatus is what is returned when status is queried for an instance
type InstanceStatus struct {
	Request         InstanceRequest  `json:"request"`
	Ready           bool             `json:"ready"`
	ResourceCount   int32            `json:"resourceCount"`
	ResourcesStatus []ResourceStatus `json:"resourcesStatus"`
}

// QueryStatus is what is returned when status is queried for an instance
type QueryStatus struct {
	ResourceCount   int32            `json:"resourceCount"`
	ResourcesStatus []ResourceStatus `json:"resourcesStatus"`
}

// ResourceStatus holds Resource Runtime Data
type ResourceStatus struct {
	Name   string                    `json:"name"`
	GVK    schema.GroupVersionKind   `json:"GVK"`
	Status unstructured.Unstructured `json:"status"`
}

// Represents the template that is used to create a particular
// resource in Kubernetes
type KubernetesResourceTemplate struct {
	// Tracks the apiVersion and Kind of the resource
	GVK schema.GroupVersionKind
	// Path to the file that contains the resource info
	FilePath string
}

// KubernetesResource is the resource that is created in Kubernetes
// It is the type that will be used for tracking a resource.
// Any future information such as status, time can be added here
// for tracking.
type KubernetesResource struct {
	// Tracks the apiVersion and Kind of the resource
	GVK schema.GroupVersionKind
	// Name of resource in Kubernetes
	Name string
}

// Hook is internal container for Helm Hook Definition
type Hook struct {
	Hook releaseHook
	KRT  KubernetesResourceTemplate
}

// ---- End of the copies. ----

// releaseHook stands in for helm.sh/helm/v3/pkg/release.Hook (helm v3.5.0, k8splugin's version), not to pull Helm in
// for one struct. helm.Hook has a MarshalJSON but no UnmarshalJSON, so a client decodes a hook by the Go field names
// Hook and KRT, and this struct's members are never filled from the wire either way.
type releaseHook struct {
	Name     string   `json:"name,omitempty"`
	Kind     string   `json:"kind,omitempty"`
	Path     string   `json:"path,omitempty"`
	Manifest string   `json:"manifest,omitempty"`
	Events   []string `json:"events,omitempty"`
	Weight   int      `json:"weight,omitempty"`
}

// From src/k8splugin/internal/app/subscription.go (same commit and license, © 2022 Orange).

// QueryStatus is what is returned when status is queried for an instance
type StatusSubscription struct {
	Name              string                 `json:"name"`
	MinNotifyInterval int32                  `json:"min-notify-interval"`
	LastUpdateTime    time.Time              `json:"last-update-time"`
	CallbackUrl       string                 `json:"callback-url"`
	LastNotifyTime    time.Time              `json:"last-notify-time"`
	LastNotifyStatus  int32                  `json:"last-notify-status"`
	NotifyMetadata    map[string]interface{} `json:"metadata"`
}

type SubscriptionRequest struct {
	Name              string                 `json:"name"`
	MinNotifyInterval int32                  `json:"min-notify-interval"`
	NotifyMetadata    map[string]interface{} `json:"metadata"`
	CallbackUrl       string                 `json:"callback-url"`
}

// ---- End of the copies. ----

// line is what is printed for one route.
type line struct {
	Route   string `json:"route"`
	Code    int    `json:"code"`
	Decoded bool   `json:"decoded"`
	Error   string `json:"error"`
	Count   int    `json:"count"`
}

type client struct {
	base  string
	token string
	http  *http.Client
}

// get fetches base+path and decodes a 200 answer into out; the line says what happened.
func (c *client) get(route, path string, out interface{}, count func() int) line {
	return c.do("GET", route, path, nil, http.StatusOK, out, count)
}

// do sends method to base+path with body as JSON (nil: none) and decodes an answer of code `want` into out (nil:
// the answer has no body to decode, as DELETE's 202).
func (c *client) do(method, route, path string, body interface{}, want int, out interface{}, count func() int) line {
	l := line{Route: route}
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			l.Error = err.Error()
			return l
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, reader)
	if err != nil {
		l.Error = err.Error()
		return l
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		l.Error = err.Error()
		return l
	}
	defer res.Body.Close()
	l.Code = res.StatusCode
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		l.Error = err.Error()
		return l
	}
	if res.StatusCode != want {
		l.Error = fmt.Sprintf("HTTP %d: %.300s", res.StatusCode, answer)
		return l
	}
	if out == nil {
		l.Decoded = true
		return l
	}
	if err := json.Unmarshal(answer, out); err != nil {
		l.Error = err.Error()
		return l
	}
	l.Decoded = true
	l.Count = count()
	return l
}

func main() {
	base := flag.String("base-url", "", "the API's base URL, e.g. https://host:8082 (required)")
	token := flag.String("token", "", "bearer token (none: no Authorization header)")
	id := flag.String("instance", "", "k8splugin instance id (required)")
	insecure := flag.Bool("insecure", false, "accept any server certificate (a self-signed one)")
	cloudRegion := flag.String("cloud-region", "k8sregionone", "CloudRegion of GET /v1/query")
	apiVersion := flag.String("api-version", "v1", "ApiVersion of both queries")
	kind := flag.String("kind", "Pod", "Kind of both queries")
	labels := flag.String("labels", "", "Labels of both queries (a label selector)")
	namespace := flag.String("namespace", "", "Namespace of GET /v1/query (empty: every namespace)")
	callback := flag.String("callback-url", "", "also create, list, get, update and delete a status subscription with this callback")
	flag.Parse()
	if *base == "" || *id == "" {
		fmt.Fprintln(os.Stderr, "k8splugin-client: -base-url and -instance are required")
		os.Exit(2)
	}
	c := &client{
		base:  *base,
		token: *token,
		http: &http.Client{
			Timeout:   30 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: *insecure}}, // #nosec G402 -- opt-in, for a self-signed test server
		},
	}
	inst := "/v1/instance/" + url.PathEscape(*id)
	query := url.Values{"ApiVersion": {*apiVersion}, "Kind": {*kind}}
	if *labels != "" {
		query.Set("Labels", *labels)
	}
	cluster := url.Values{"CloudRegion": {*cloudRegion}, "ApiVersion": {*apiVersion}, "Kind": {*kind}}
	if *labels != "" {
		cluster.Set("Labels", *labels)
	}
	if *namespace != "" {
		cluster.Set("Namespace", *namespace)
	}

	var list []InstanceMiniResponse
	var one InstanceResponse
	var full InstanceDbData
	var status, iquery InstanceStatus
	var cquery QueryStatus
	lines := []line{
		c.get("list", "/v1/instance", &list, func() int { return len(list) }),
		c.get("get", inst, &one, func() int { return len(one.Resources) }),
		c.get("get-full", inst+"?full=true", &full, func() int { return len(full.Resources) }),
		c.get("status", inst+"/status", &status, func() int { return len(status.ResourcesStatus) }),
		c.get("instance-query", inst+"/query?"+query.Encode(), &iquery, func() int { return len(iquery.ResourcesStatus) }),
		c.get("cluster-query", "/v1/query?"+cluster.Encode(), &cquery, func() int { return len(cquery.ResourcesStatus) }),
	}
	if *callback != "" {
		subs := inst + "/status/subscription"
		req := SubscriptionRequest{Name: "k8splugin-client", MinNotifyInterval: 30, CallbackUrl: *callback,
			NotifyMetadata: map[string]interface{}{"client": "k8splugin-client"}}
		var created, got, updated StatusSubscription
		var all []StatusSubscription
		one := func(s *StatusSubscription) func() int { return func() int { return len(s.NotifyMetadata) } }
		lines = append(lines,
			c.do("POST", "sub-create", subs, req, http.StatusCreated, &created, one(&created)),
			c.get("sub-list", subs, &all, func() int { return len(all) }),
			c.get("sub-get", subs+"/"+url.PathEscape(req.Name), &got, one(&got)),
			c.do("PUT", "sub-update", subs+"/"+url.PathEscape(req.Name), req, http.StatusOK, &updated, one(&updated)),
			c.do("DELETE", "sub-delete", subs+"/"+url.PathEscape(req.Name), nil, http.StatusAccepted, nil, func() int { return 0 }),
		)
	}
	ok := true
	enc := json.NewEncoder(os.Stdout)
	for _, l := range lines {
		ok = ok && l.Decoded
		if err := enc.Encode(l); err != nil {
			fmt.Fprintln(os.Stderr, "k8splugin-client:", err)
			os.Exit(2)
		}
	}
	if !ok {
		os.Exit(1)
	}
}
