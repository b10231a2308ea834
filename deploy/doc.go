// Package deploy holds none of the service's code. Its tests check the
// deployment files beside them (the kustomize tree, compose.yaml, the
// systemd units, the alerting rules and the Grafana dashboard) against the
// Kubernetes API types, the compose specification, Prometheus' parsers,
// and the clavebot binary itself: every command, flag, environment
// variable, route and metric they name must exist.
//
// It is a module of its own so that kustomize, the Kubernetes API types
// and Prometheus stay out of the service's build; CI runs
// `cd deploy && go test ./...`.
package deploy
