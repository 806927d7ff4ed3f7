{{- /* What every object name starts with: namePrefix, else the release name. */ -}}
{{- define "isoline.prefix" -}}{{ .Values.namePrefix | default .Release.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- define "isoline.name" -}}{{ include "isoline.prefix" . }}-isoline{{- end -}}
{{- define "isoline.envoyName" -}}{{ include "isoline.prefix" . }}-envoy{{- end -}}
{{- define "isoline.image" -}}
{{- if .Values.image.digest -}}{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- end -}}
{{- define "isoline.labels" -}}
app.kubernetes.io/name: isoline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: isoline
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- /* The pod-level settings every pod of the chart shares: security context, pull secrets. */ -}}
{{- define "isoline.podSecurity" -}}
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- /* Scheduling of one component: the dict is .Values.controller or .Values.envoy. */ -}}
{{- define "isoline.scheduling" -}}
{{- with .nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .topologySpreadConstraints }}
topologySpreadConstraints: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- end -}}

{{- /* "true" when xDS runs over mutual TLS (every mode but insecure-plaintext); fails on a bad mode. */ -}}
{{- define "isoline.xdsTls" -}}
{{- if not (has .Values.xdsTls.mode (list "certgen" "secrets" "insecure-plaintext")) -}}
{{- fail (printf "xdsTls.mode must be certgen, secrets or insecure-plaintext, not %q" .Values.xdsTls.mode) -}}
{{- end -}}
{{- if and (eq .Values.xdsTls.mode "secrets") (or (empty .Values.xdsTls.controllerSecretName) (empty .Values.xdsTls.envoySecretName)) -}}
{{- fail "xdsTls.mode=secrets needs xdsTls.controllerSecretName and xdsTls.envoySecretName (mutual TLS needs both sides)" -}}
{{- end -}}
{{- ne .Values.xdsTls.mode "insecure-plaintext" -}}
{{- end -}}
{{- define "isoline.controllerSecret" -}}{{ .Values.xdsTls.controllerSecretName | default (printf "%s-isoline-xds" (include "isoline.prefix" .)) }}{{- end -}}
{{- define "isoline.caSecret" -}}{{ printf "%s-isoline-xds-ca" (include "isoline.prefix" .) }}{{- end -}}
{{- define "isoline.envoySecret" -}}{{ .Values.xdsTls.envoySecretName | default (printf "%s-envoy-xds" (include "isoline.prefix" .)) }}{{- end -}}
