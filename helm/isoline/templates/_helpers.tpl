{{- define "isoline.name" -}}{{ .Release.Name }}-isoline{{- end -}}
{{- define "isoline.envoyName" -}}{{ .Release.Name }}-envoy{{- end -}}
{{- define "isoline.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- define "isoline.labels" -}}
app.kubernetes.io/name: isoline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
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
{{- define "isoline.controllerSecret" -}}{{ .Values.xdsTls.controllerSecretName | default (printf "%s-isoline-xds" .Release.Name) }}{{- end -}}
{{- define "isoline.envoySecret" -}}{{ .Values.xdsTls.envoySecretName | default (printf "%s-envoy-xds" .Release.Name) }}{{- end -}}
