{{/* The chart's name, or nameOverride. */}}
{{- define "stock-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name, used for every object: at most 63 characters, as DNS labels need. */}}
{{- define "stock-service.fullname" -}}
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

{{- define "stock-service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "stock-service.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "stock-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stock-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stock-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "stock-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the chart creates for the values it was given in clear. */}}
{{- define "stock-service.secretName" -}}
{{- include "stock-service.fullname" . }}
{{- end }}

{{- define "stock-service.createsRedisPassword" -}}
{{- if and (not .Values.redis.password.existingSecret) .Values.redis.password.value }}true{{ end }}
{{- end }}

{{- define "stock-service.createsSentinelPassword" -}}
{{- if and .Values.redis.sentinel.master (not .Values.redis.sentinel.password.existingSecret) .Values.redis.sentinel.password.value }}true{{ end }}
{{- end }}

{{- define "stock-service.createsAdminToken" -}}
{{- if and (not .Values.admin.token.existingSecret) .Values.admin.token.value }}true{{ end }}
{{- end }}

{{/*
A secretKeyRef to a value that comes from an existing Secret or from the chart's own.
Takes a dict: ctx (the root context), spec (redis.password, redis.sentinel.password or admin.token) and key (the
chart Secret's key).
*/}}
{{- define "stock-service.secretKeyRef" -}}
secretKeyRef:
  {{- if .spec.existingSecret }}
  name: {{ .spec.existingSecret }}
  key: {{ .spec.existingSecretKey }}
  {{- else }}
  name: {{ include "stock-service.secretName" .ctx }}
  key: {{ .key }}
  {{- end }}
{{- end }}

{{/* Settings the chart refuses, with the reason. */}}
{{- define "stock-service.validate" -}}
{{- if and .Values.redis.cluster.nodes .Values.redis.sentinel.master }}
{{- fail "redis.cluster.nodes and redis.sentinel.master are both set: a Redis deployment is either a Cluster or watched by Sentinel; keep the one you run" }}
{{- end }}
{{- if and .Values.redis.sentinel.master (not .Values.redis.sentinel.nodes) }}
{{- fail "redis.sentinel.master is set but redis.sentinel.nodes is empty: list the Sentinels as host:port" }}
{{- end }}
{{- end }}
