{{/* Names, labels and the pieces several templates share. */}}

{{- define "rbi-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name, or <release>-<chart> when it does not contain the chart's name (Helm's convention). */}}
{{- define "rbi-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object: the manifests' app.kubernetes.io/name plus Helm's standard ones. */}}
{{- define "rbi-operator.labels" -}}
app.kubernetes.io/name: {{ include "rbi-operator.name" . }}
{{ include "rbi-operator.helmLabels" . }}
{{- end }}

{{/* The labels Helm's conventions add (the comparison with manifests/default ignores them). */}}
{{- define "rbi-operator.helmLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Deployment's selector: the same as manifests/default, so a `make deploy` install can move to the chart. */}}
{{- define "rbi-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rbi-operator.name" . }}
control-plane: controller-manager
{{- end }}

{{- define "rbi-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (printf "%s-controller-manager" (include "rbi-operator.fullname" .)) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rbi-operator.aaiSecretName" -}}
{{- default (printf "%s-aai-credentials" (include "rbi-operator.fullname" .)) .Values.aai.existingSecret }}
{{- end }}

{{- define "rbi-operator.apiTlsSecretName" -}}
{{- default (printf "%s-api-tls" (include "rbi-operator.fullname" .)) .Values.api.tls.secretName }}
{{- end }}

{{- define "rbi-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The rules of a role file of manifests/ (the first YAML document), so the chart and the kustomizations share one list. */}}
{{- define "rbi-operator.rulesOf" -}}
{{- $doc := index (regexSplit "(?m)^---\\s*$" (.root.Files.Get .file) -1) 0 | fromYaml }}
{{- $rules := concat $doc.rules .root.Values.rbac.extraRules }}
{{- toYaml $rules }}
{{- end }}

{{/* The ServiceAccount as an RBAC subject. */}}
{{- define "rbi-operator.subject" -}}
- kind: ServiceAccount
  name: {{ include "rbi-operator.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}
