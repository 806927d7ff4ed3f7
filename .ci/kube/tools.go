//go:build tools

// Package tools pins the real Kubernetes components the test suite runs (built by .ci/install-kube):
// kube-apiserver and kubectl from k8s.io/kubernetes, and etcd at the version that release uses.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
