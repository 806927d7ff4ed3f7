/**
 * The real-API-server tier: Isoline's install, RBAC, CRDs, status write-back, watches and high
 * availability against a real kube-apiserver and etcd ({@link io.isoline.testing.KubeApiServer}),
 * with the controller run as a process the way a cluster runs it.
 */
package io.isoline.apiserver;
