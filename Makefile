# rbi-operator: `make help` lists the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help
NPM ?= npm
KUBECTL ?= kubectl
KIND ?= kind
KIND_CLUSTER ?= rbi-operator
CLUSTER_CLI = node_modules/.bin/node dist/e2e/cluster/cli.js

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

# `npm install` from the lock rather than `npm ci`: the registry here answers 404 for other platforms' optional
# binaries (@unrs/resolver-binding-*), so the lock cannot list them and `npm ci` refuses it.
node_modules/.installed: package.json package-lock.json
	$(NPM) install --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: node_modules/.installed ## Install the npm dependencies pinned in package-lock.json.

.PHONY: build
build: deps ## Compile TypeScript into dist/.
	$(NPM) run build

.PHONY: test
test: deps ## Everything CI runs: build, lint (ESLint, tsc, Prettier, knip), unit tests, then the e2e suites on a local control plane.
	$(NPM) test

.PHONY: test-unit
test-unit: deps ## Unit and component tests only (no cluster).
	$(NPM) run test:unit

.PHONY: test-e2e
test-e2e: build ## e2e suites: start the local control plane (or use $$KUBECONFIG), run, stop (KEEP_CLUSTER=1 keeps it).
	$(NPM) run test:e2e

.PHONY: bench
bench: build ## Benchmark on its own local control plane: N instances × M objects, then the peers (BENCH_ARGS="--instances 2000 --objects 20 --aai").
	node_modules/.bin/node dist/bench/run.js $(BENCH_ARGS)

.PHONY: bench-shards
bench-shards: build ## Sharding benchmark on its own local control plane: R replicas with --shards S, per-replica memory and latency, a failover (BENCH_ARGS="--instances 10000 --replicas 4 --shards 4 --namespaces 40").
	node_modules/.bin/node dist/bench/shards.js $(BENCH_ARGS)

.PHONY: bench-eval
bench-eval: build ## The cost of one instance evaluation as its namespace fills (10 to 10,000 pods): should stay flat.
	node_modules/.bin/node dist/bench/evaluation.js

.PHONY: lint
lint: deps ## ESLint (purity, no test doubles in operator/, no import cycles), tsc, Prettier, knip (no unused files, exports or dependencies).
	$(NPM) run lint

.PHONY: lint-fix
lint-fix: deps ## Fix what ESLint and Prettier can.
	$(NPM) run lint:fix

##@ Local control plane (built from Go modules, no Docker)

.PHONY: binaries
binaries: ## Build the pinned etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and kwok into ~/.cache/rbi-operator.
	bash e2e/build-binaries.sh

.PHONY: cluster-up
cluster-up: build ## Start the local control plane on 127.0.0.1 and print its kubeconfig path.
	$(CLUSTER_CLI) up

.PHONY: cluster-down
cluster-down: ## Stop the local control plane (exactly the processes it started) and remove its state.
	@if [ -f dist/e2e/cluster/cli.js ]; then $(CLUSTER_CLI) down; else echo "nothing to stop"; fi

.PHONY: cluster-status
cluster-status: ## Show the local control plane's processes.
	$(CLUSTER_CLI) status

##@ kind (where Docker exists)

.PHONY: kind-up
kind-up: ## Create a kind cluster named $(KIND_CLUSTER) and install the CRD.
	@$(KIND) get clusters 2>/dev/null | grep -qx '$(KIND_CLUSTER)' || $(KIND) create cluster --name '$(KIND_CLUSTER)'
	$(KUBECTL) --context 'kind-$(KIND_CLUSTER)' apply --server-side -k crds/

.PHONY: kind-down
kind-down: ## Delete the kind cluster.
	$(KIND) delete cluster --name '$(KIND_CLUSTER)'

##@ Build

IMG ?= rbi-operator:dev

.PHONY: docker-build
docker-build: ## Build the container image $(IMG) (needs Docker).
	docker build -t $(IMG) .

.PHONY: docker-push
docker-push: ## Push $(IMG).
	docker push $(IMG)

##@ Deployment

.PHONY: install
install: ## Install the CRD into the cluster of the current kubeconfig.
	$(KUBECTL) apply --server-side -k crds/

.PHONY: uninstall
uninstall: ## Remove the CRD (and every ResourceBundleInstance) from the current cluster.
	$(KUBECTL) delete --ignore-not-found=true -f crds/resourcebundleinstances.yaml

.PHONY: deploy
deploy: ## Install the operator cluster-wide (manifests/default) with image $(IMG); never overwrites the AAI Secret.
	$(KUBECTL) kustomize manifests/default | sed 's#image: rbi-operator:dev#image: $(IMG)#' | $(KUBECTL) apply --server-side -f -
	@$(KUBECTL) -n rbi-operator-system get secret rbi-operator-aai-credentials >/dev/null 2>&1 || \
	  $(KUBECTL) create -f manifests/manager/aai-secret.yaml

.PHONY: undeploy
undeploy: ## Remove what make deploy installed.
	$(KUBECTL) kustomize manifests/default | $(KUBECTL) delete --ignore-not-found=true -f -

# helm as the chart's tests build it (e2e/versions.env), unless HELM is given.
HELM ?= $(shell bash e2e/build-binaries.sh helm | sed -n 's/^helm=//p')/helm

.PHONY: helm-install
helm-install: ## Install the Helm chart (charts/rbi-operator) as make deploy does, image $(IMG) (HELM_ARGS="--set aai.url=...").
	@$(KUBECTL) get namespace rbi-operator-system >/dev/null 2>&1 || { $(KUBECTL) create namespace rbi-operator-system && \
	  $(KUBECTL) label namespace rbi-operator-system pod-security.kubernetes.io/enforce=restricted; }
	$(HELM) upgrade --install rbi-operator charts/rbi-operator -n rbi-operator-system \
	  --set image.repository=$(firstword $(subst :, ,$(IMG))) --set image.tag=$(or $(word 2,$(subst :, ,$(IMG))),latest) $(HELM_ARGS)

.PHONY: helm-uninstall
helm-uninstall: ## Remove the Helm release (the CRDs stay, as Helm keeps crds/).
	$(HELM) uninstall rbi-operator -n rbi-operator-system

.PHONY: helm-lint
helm-lint: ## helm lint --strict with every charts/rbi-operator/ci values file.
	@for f in charts/rbi-operator/ci/*-values.yaml; do $(HELM) lint charts/rbi-operator --strict -f $$f 2>/dev/null || exit 1; done

.PHONY: kind-load
kind-load: docker-build ## Build the image and load it into the kind cluster.
	$(KIND) load docker-image $(IMG) --name '$(KIND_CLUSTER)'

##@ Demo

.PHONY: demo
demo: build ## Local control plane + AAI simulator + operator + the edgex sample; prints the status and what AAI holds.
	node_modules/.bin/node dist/e2e/demo/demo.js up

.PHONY: demo-status
demo-status: ## Print the demo's instance status and AAI contents again.
	node_modules/.bin/node dist/e2e/demo/demo.js status

.PHONY: demo-down
demo-down: ## Stop everything make demo started.
	@if [ -f dist/e2e/demo/demo.js ]; then node_modules/.bin/node dist/e2e/demo/demo.js down; else echo "nothing to stop"; fi
