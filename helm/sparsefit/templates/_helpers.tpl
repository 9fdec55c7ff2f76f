{{/* Chart name, truncated to the 63-character DNS label limit. */}}
{{- define "sparsefit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, unless the release name already contains the chart name. */}}
{{- define "sparsefit.fullname" -}}
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

{{- define "sparsefit.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sparsefit.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sparsefit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sparsefit.labels" -}}
helm.sh/chart: {{ include "sparsefit.chart" . }}
{{ include "sparsefit.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: server
{{- end }}

{{- define "sparsefit.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sparsefit.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference: repository@digest when a digest is given, else repository:tag. */}}
{{- define "sparsefit.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Name of the Secret with the database URL and credentials (postgres mode). */}}
{{- define "sparsefit.databaseSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- printf "%s-database" (include "sparsefit.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "sparsefit.pvcName" -}}
{{- default (printf "%s-data" (include "sparsefit.fullname" .)) .Values.persistence.existingClaim }}
{{- end }}

{{- define "sparsefit.embedded" -}}
{{- if eq .Values.database.mode "embedded" }}true{{ end }}
{{- end }}

{{/*
Combinations the schema cannot express. Rendering stops with a message that says what to change.
*/}}
{{- define "sparsefit.validate" -}}
{{- $v := .Values }}
{{- if eq $v.database.mode "embedded" }}
{{- if gt (int $v.replicaCount) 1 }}
{{- fail (printf "database.mode=embedded runs exactly one pod (H2 on a ReadWriteOnce volume cannot be shared), but replicaCount=%d. Use replicaCount=1, or database.mode=postgres to run several replicas." (int $v.replicaCount)) }}
{{- end }}
{{- if $v.autoscaling.enabled }}
{{- fail "autoscaling.enabled=true needs database.mode=postgres: embedded mode runs exactly one pod (H2 on a ReadWriteOnce volume cannot be shared)." }}
{{- end }}
{{- else }}
{{- if and (not $v.database.existingSecret) (not $v.database.createSecret) }}
{{- fail "database.mode=postgres needs database.existingSecret (a Secret with the JDBC url, username and password; see database.secretKeys), or database.createSecret=true with database.url/username/password." }}
{{- end }}
{{- if and $v.database.createSecret $v.database.existingSecret }}
{{- fail "set either database.existingSecret or database.createSecret=true, not both." }}
{{- end }}
{{- if and $v.database.createSecret (or (not $v.database.url) (not $v.database.username) (not $v.database.password)) }}
{{- fail "database.createSecret=true needs database.url, database.username and database.password." }}
{{- end }}
{{- if and $v.autoscaling.enabled (gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- fail (printf "autoscaling.minReplicas (%d) must not exceed autoscaling.maxReplicas (%d)." (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) }}
{{- end }}
{{- end }}
{{- if le (int $v.terminationGracePeriodSeconds) (add (int $v.preStopSleepSeconds) (int $v.config.shutdownTimeoutSeconds)) }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) + config.shutdownTimeoutSeconds (%d), or Kubernetes kills the pod before it has shut down." (int $v.terminationGracePeriodSeconds) (int $v.preStopSleepSeconds) (int $v.config.shutdownTimeoutSeconds)) }}
{{- end }}
{{- end }}

{{/*
Readiness's free-space threshold for the data directory (management.health.diskspace.threshold):
config.diskSpaceThreshold when set; in embedded mode otherwise 2% of persistence.size (at least 1 MB),
so that a small volume is not unready from the start; in postgres mode /data holds only the instance
id, and the application default (10MB) is kept.
*/}}
{{- define "sparsefit.diskSpaceThreshold" -}}
{{- if .Values.config.diskSpaceThreshold -}}
{{ .Values.config.diskSpaceThreshold }}
{{- else if eq .Values.database.mode "embedded" -}}
{{- $size := toString .Values.persistence.size -}}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $size -}}
{{- $unit := trimPrefix $number $size -}}
{{- $factors := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
{{- $bytes := mulf (float64 $number) (get $factors $unit) -}}
{{- $mib := floor (divf (mulf $bytes 0.02) 1048576.0) | int64 -}}
{{ max 1 $mib }}MB
{{- else -}}
10MB
{{- end -}}
{{- end -}}
