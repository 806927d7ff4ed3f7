{{- define "isoline.name" -}}{{ .Release.Name }}-isoline{{- end -}}
{{- define "isoline.envoyName" -}}{{ .Release.Name }}-envoy{{- end -}}
{{- define "isoline.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}
{{- define "isoline.labels" -}}
app.kubernetes.io/name: isoline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
