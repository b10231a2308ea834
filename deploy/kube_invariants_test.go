package deploy

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// forEach runs check on each environment's service build and Jobs.
func forEach(t *testing.T, check func(t *testing.T, env environment, svc []runtime.Object, jobs []runtime.Object)) {
	for _, env := range environments {
		t.Run(env.name, func(t *testing.T) {
			svc := kustomize(t, env.service)
			var jobs []runtime.Object
			for _, dir := range env.jobs {
				jobs = append(jobs, kustomize(t, dir)...)
			}
			check(t, env, svc, jobs)
		})
	}
}

func TestContainersHaveProbesAndResources(t *testing.T) {
	r, err := routes()
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		for _, pt := range podTemplates(append(svc, jobs...)) {
			for _, c := range append(slices.Clone(pt.spec.InitContainers), pt.spec.Containers...) {
				where := pt.owner + " " + c.Name
				req, lim := c.Resources.Requests, c.Resources.Limits
				if req.Cpu().IsZero() || req.Memory().IsZero() || lim.Memory().IsZero() {
					t.Errorf("%s: needs cpu and memory requests and a memory limit", where)
				}
				if !lim.Memory().IsZero() && lim.Memory().Cmp(*req.Memory()) < 0 {
					t.Errorf("%s: memory limit below its request", where)
				}
				if !pt.server {
					continue
				}
				if c.LivenessProbe == nil || c.ReadinessProbe == nil {
					t.Errorf("%s: a serving container needs liveness and readiness probes", where)
					continue
				}
				if isClavebot(c) {
					checkProbe(t, where+" liveness", c, c.LivenessProbe, "/healthz", r)
					checkProbe(t, where+" readiness", c, c.ReadinessProbe, "/readyz", r)
					if c.StartupProbe != nil {
						checkProbe(t, where+" startup", c, c.StartupProbe, "/healthz", r)
					}
				}
			}
		}
	})
}

func checkProbe(t *testing.T, where string, c corev1.Container, p *corev1.Probe, path string, r *httpRoutes) {
	t.Helper()
	g := p.HTTPGet
	if g == nil || g.Path != path {
		t.Errorf("%s: want an HTTP GET of %s", where, path)
		return
	}
	if !r.routed(g.Path, false) {
		t.Errorf("%s: serve mounts no %s", where, g.Path)
	}
	if !hasPort(c, g.Port) {
		t.Errorf("%s: port %s is not a port of the container", where, g.Port.String())
	}
}

func hasPort(c corev1.Container, p intstr.IntOrString) bool {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return true
		}
	}
	return false
}

// clavebot holds keys and personal data: its pods run unprivileged, with
// a read-only root and no Kubernetes API token.
func TestClavebotPodsAreLockedDown(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		for _, pt := range podTemplates(append(svc, jobs...)) {
			pod := pt.spec.SecurityContext
			if pod == nil || pod.RunAsNonRoot == nil || !*pod.RunAsNonRoot || pod.SeccompProfile == nil {
				t.Errorf("%s: the pod must run as non-root with a seccomp profile", pt.owner)
			}
			if pt.spec.AutomountServiceAccountToken == nil || *pt.spec.AutomountServiceAccountToken {
				t.Errorf("%s: mounts a Kubernetes API token it never uses", pt.owner)
			}
			for _, c := range pt.spec.Containers {
				sc := c.SecurityContext
				if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
					sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
					t.Errorf("%s %s: must drop all capabilities and privilege escalation", pt.owner, c.Name)
				}
				if isClavebot(c) && (sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem) {
					t.Errorf("%s %s: clavebot's root filesystem must be read-only", pt.owner, c.Name)
				}
				if isClavebot(c) && len(c.Command) > 0 {
					t.Errorf("%s %s: the image's entrypoint is clavebot; give args, not command", pt.owner, c.Name)
				}
			}
		}
	})
}

func TestAutoscalerTargetsTheServer(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		d := server(t, svc)
		hpas := of[*autoscalingv2.HorizontalPodAutoscaler](svc)
		for _, h := range hpas {
			ref := h.Spec.ScaleTargetRef
			if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Name {
				t.Errorf("HPA %s targets %s/%s %s, want apps/v1 Deployment %s", h.Name, ref.APIVersion, ref.Kind, ref.Name, d.Name)
			}
			if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 || *h.Spec.MinReplicas > h.Spec.MaxReplicas {
				t.Errorf("HPA %s: want 2 <= minReplicas <= maxReplicas", h.Name)
			}
			for _, m := range h.Spec.Metrics {
				if m.Resource == nil || m.Resource.Target.Type != autoscalingv2.UtilizationMetricType {
					continue
				}
				for _, c := range d.Spec.Template.Spec.Containers {
					if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
						t.Errorf("HPA %s scales on %s utilization, but container %s requests none", h.Name, m.Resource.Name, c.Name)
					}
				}
			}
			// A replicas field would reset the autoscaler's count on every apply.
			if d.Spec.Replicas != nil {
				t.Errorf("Deployment %s sets replicas although HPA %s owns the count", d.Name, h.Name)
			}
		}
		if env.production && len(hpas) != 1 {
			t.Errorf("production has %d autoscalers, want 1", len(hpas))
		}
	})
}

func TestDisruptionBudgetCoversTheServer(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		d := server(t, svc)
		pdbs := of[*policyv1.PodDisruptionBudget](svc)
		if len(pdbs) != 1 {
			t.Fatalf("%d PodDisruptionBudgets, want 1", len(pdbs))
		}
		p := pdbs[0]
		if !selects(p.Spec.Selector, d.Spec.Template.Labels) {
			t.Errorf("PDB %s does not select the server's pods %v", p.Name, d.Spec.Template.Labels)
		}
		for _, pt := range podTemplates(append(svc, jobs...)) {
			if pt.owner != "Deployment/"+d.Name && selects(p.Spec.Selector, pt.labels) {
				t.Errorf("PDB %s also selects %s", p.Name, pt.owner)
			}
		}
		// It must let a node drain proceed at the fewest replicas.
		least := int32(1)
		if d.Spec.Replicas != nil {
			least = *d.Spec.Replicas
		}
		for _, h := range of[*autoscalingv2.HorizontalPodAutoscaler](svc) {
			least = *h.Spec.MinReplicas
		}
		switch {
		case p.Spec.MinAvailable != nil:
			n, _ := intstr.GetScaledValueFromIntOrPercent(p.Spec.MinAvailable, int(least), true)
			if int32(n) >= least {
				t.Errorf("PDB %s: minAvailable %s of %d replicas blocks every drain", p.Name, p.Spec.MinAvailable.String(), least)
			}
		case p.Spec.MaxUnavailable != nil:
			n, _ := intstr.GetScaledValueFromIntOrPercent(p.Spec.MaxUnavailable, int(least), true)
			if n < 1 {
				t.Errorf("PDB %s: maxUnavailable %s of %d replicas blocks every drain", p.Name, p.Spec.MaxUnavailable.String(), least)
			}
		default:
			t.Errorf("PDB %s sets neither minAvailable nor maxUnavailable", p.Name)
		}
	})
}

func TestServiceSelectsOnlyTheServer(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		d := server(t, svc)
		var found bool
		for _, s := range of[*corev1.Service](svc) {
			if s.Name != "clavebot" {
				continue
			}
			found = true
			sel := s.Spec.Selector
			for _, pt := range podTemplates(append(svc, jobs...)) {
				matches := len(sel) > 0 && selectsMap(sel, pt.labels)
				if matches != (pt.owner == "Deployment/"+d.Name) {
					t.Errorf("Service %s selects %s: %v", s.Name, pt.owner, matches)
				}
			}
			for _, p := range s.Spec.Ports {
				if !hasPort(d.Spec.Template.Spec.Containers[0], p.TargetPort) {
					t.Errorf("Service %s port %s: no container port %s", s.Name, p.Name, p.TargetPort.String())
				}
			}
		}
		if !found {
			t.Error("no Service clavebot")
		}
	})
}

func selectsMap(sel, l map[string]string) bool {
	for k, v := range sel {
		if l[k] != v {
			return false
		}
	}
	return true
}

func TestTopologySpreadSelectsTheServer(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		d := server(t, svc)
		keys := map[string]bool{}
		for _, c := range d.Spec.Template.Spec.TopologySpreadConstraints {
			keys[c.TopologyKey] = true
			if !selects(c.LabelSelector, d.Spec.Template.Labels) {
				t.Errorf("spread over %s does not count the server's pods", c.TopologyKey)
			}
		}
		if !keys["topology.kubernetes.io/zone"] || !keys["kubernetes.io/hostname"] {
			t.Errorf("spread over %v, want zones and nodes", keys)
		}
	})
}

// Every clavebot pod is fenced in: in, only the ingress controller and
// Prometheus on the HTTP port; out, only DNS, PostgreSQL, Redis and 443.
func TestNetworkPolicyFencesEveryPod(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		pols := of[*networkingv1.NetworkPolicy](svc)
		d := server(t, svc)
		for _, pt := range podTemplates(append(svc, jobs...)) {
			var ingress, egress bool
			for _, p := range pols {
				if !selects(&p.Spec.PodSelector, pt.labels) {
					continue
				}
				ingress = ingress || slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeIngress)
				egress = egress || slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
			}
			if !ingress || !egress {
				t.Errorf("%s: not fenced by a NetworkPolicy for both ingress (%v) and egress (%v)", pt.owner, ingress, egress)
			}
		}
		for _, p := range pols {
			if !selects(&p.Spec.PodSelector, d.Spec.Template.Labels) {
				continue
			}
			for _, rule := range p.Spec.Ingress {
				if len(rule.From) == 0 || len(rule.Ports) == 0 {
					t.Errorf("NetworkPolicy %s: an ingress rule open to every source or port", p.Name)
				}
				for _, from := range rule.From {
					if from.IPBlock != nil || from.NamespaceSelector == nil || from.PodSelector == nil {
						t.Errorf("NetworkPolicy %s: ingress only from named pods of named namespaces", p.Name)
					}
				}
				for _, port := range rule.Ports {
					if port.Port == nil || !hasPort(d.Spec.Template.Spec.Containers[0], *port.Port) {
						t.Errorf("NetworkPolicy %s: ingress port %v is not the server's", p.Name, port.Port)
					}
				}
			}
			open := map[string]bool{}
			for _, rule := range p.Spec.Egress {
				if len(rule.Ports) == 0 {
					t.Errorf("NetworkPolicy %s: an egress rule open on every port", p.Name)
				}
				for _, port := range rule.Ports {
					if port.Port != nil {
						open[string(*port.Protocol)+"/"+port.Port.String()] = true
					}
				}
			}
			for _, want := range []string{"UDP/53", "TCP/53", "TCP/5432", "TCP/6379", "TCP/443"} {
				if !open[want] {
					t.Errorf("NetworkPolicy %s: no egress to %s", p.Name, want)
				}
			}
		}
	})
}

// The Ingresses route only the webhooks and the desk, over TLS, to paths
// serve mounts; the REST chat, key verification and /metrics stay inside.
func TestIngressRoutesOnlyPublicPaths(t *testing.T) {
	r, err := routes()
	if err != nil {
		t.Fatal(err)
	}
	public := map[string]bool{r.telegram: true, r.whatsapp: true, "/desk": true}
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		services := map[string]*corev1.Service{}
		for _, s := range of[*corev1.Service](svc) {
			services[s.Name] = s
		}
		seen := map[string]bool{}
		for _, ing := range of[*networkingv1.Ingress](svc) {
			tlsHosts := map[string]bool{}
			for _, tls := range ing.Spec.TLS {
				if tls.SecretName == "" {
					t.Errorf("Ingress %s: TLS without a certificate Secret", ing.Name)
				}
				for _, h := range tls.Hosts {
					tlsHosts[h] = true
				}
			}
			for _, rule := range ing.Spec.Rules {
				if !tlsHosts[rule.Host] {
					t.Errorf("Ingress %s: host %q is not served over TLS", ing.Name, rule.Host)
				}
				for _, p := range rule.HTTP.Paths {
					prefix := p.PathType != nil && *p.PathType == networkingv1.PathTypePrefix
					seen[p.Path] = true
					if !public[p.Path] {
						t.Errorf("Ingress %s exposes %s, which is not public", ing.Name, p.Path)
					}
					if !r.routed(p.Path, prefix) {
						t.Errorf("Ingress %s routes %s, which serve does not mount", ing.Name, p.Path)
					}
					b := p.Backend.Service
					if b == nil || services[b.Name] == nil || !servicePort(services[b.Name], b.Port) {
						t.Errorf("Ingress %s %s: backend is not a port of a Service of this build", ing.Name, p.Path)
					}
				}
			}
		}
		if !seen["/desk"] {
			t.Error("no Ingress routes the desk")
		}
	})
}

func servicePort(s *corev1.Service, p networkingv1.ServiceBackendPort) bool {
	for _, sp := range s.Spec.Ports {
		if (p.Name != "" && sp.Name == p.Name) || (p.Number != 0 && sp.Port == p.Number) {
			return true
		}
	}
	return false
}

// ingressHost says whether some Ingress serves host over TLS and routes
// path exactly to the clavebot Service.
func ingressHost(objs []runtime.Object, host, path string) bool {
	for _, ing := range of[*networkingv1.Ingress](objs) {
		tls := false
		for _, t := range ing.Spec.TLS {
			tls = tls || slices.Contains(t.Hosts, host)
		}
		for _, rule := range ing.Spec.Rules {
			if rule.Host != host || !tls {
				continue
			}
			for _, p := range rule.HTTP.Paths {
				if p.Path == path && p.Backend.Service != nil && p.Backend.Service.Name == "clavebot" {
					return true
				}
			}
		}
	}
	return false
}

// Every command, flag and CLAVEBOT_ variable the manifests give clavebot
// exists in the binary; every ConfigMap and Secret they name exists.
func TestConfigurationExistsInTheBinary(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		ext := externalSecrets(t, env)
		all := append(slices.Clone(svc), jobs...)
		for _, pt := range podTemplates(all) {
			for _, c := range pt.spec.Containers {
				if !isClavebot(c) {
					continue
				}
				where := pt.owner + " " + c.Name
				invoke(t, where, c.Args)
				for name := range containerEnv(t, where, c, svc, ext) {
					switch {
					case strings.HasPrefix(name, "CLAVEBOT_"):
						checkEnvName(t, where, name)
					case !slices.Contains([]string{"GOMAXPROCS", "GOMEMLIMIT", "GODEBUG", "TZ"}, name):
						t.Errorf("%s: variable %s is neither clavebot's nor Go's", where, name)
					}
				}
			}
			if sa := pt.spec.ServiceAccountName; sa != "" && !hasNamed[*corev1.ServiceAccount](svc, sa) {
				t.Errorf("%s: no ServiceAccount %s in the service's build", pt.owner, sa)
			}
			for _, v := range pt.spec.Volumes {
				if pvc := v.PersistentVolumeClaim; pvc != nil && !hasNamed[*corev1.PersistentVolumeClaim](all, pvc.ClaimName) {
					t.Errorf("%s: no PersistentVolumeClaim %s", pt.owner, pvc.ClaimName)
				}
			}
		}
		for _, cm := range of[*corev1.ConfigMap](svc) {
			for k := range cm.Data {
				if strings.HasPrefix(k, "CLAVEBOT_") {
					checkEnvName(t, "ConfigMap/"+cm.Name, k)
				}
			}
		}
	})
}

func hasNamed[T runtime.Object](objs []runtime.Object, name string) bool {
	for _, o := range of[T](objs) {
		if meta(o).GetName() == name {
			return true
		}
	}
	return false
}

// serverEnv is what the server's clavebot container is configured with.
func serverEnv(t *testing.T, env environment, svc []runtime.Object) (*appsv1.Deployment, map[string]setting) {
	t.Helper()
	d := server(t, svc)
	for _, c := range d.Spec.Template.Spec.Containers {
		if isClavebot(c) {
			return d, containerEnv(t, "server", c, svc, externalSecrets(t, env))
		}
	}
	return d, nil
}

// Telegram lets one process poll a token (a second gets 409 Conflict):
// polling means one replica, no autoscaler and no overlap during a
// rollout; with a webhook, Telegram reaches every replica through an
// Ingress with TLS, at the path serve mounts, with a secret token.
func TestOneTelegramPoller(t *testing.T) {
	r, err := routes()
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		d, cfg := serverEnv(t, env, svc)
		_, telegram := cfg["CLAVEBOT_TELEGRAM_TOKEN"]
		hook := cfg["CLAVEBOT_TELEGRAM_WEBHOOK_URL"].value
		switch {
		case !telegram:
			t.Log("Telegram is off")
		case hook == "":
			if d.Spec.Replicas == nil || *d.Spec.Replicas != 1 {
				t.Error("Telegram polls: the Deployment must run exactly 1 replica")
			}
			if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
				t.Error("Telegram polls: a rolling update would run two pollers; use Recreate")
			}
			if len(of[*autoscalingv2.HorizontalPodAutoscaler](svc)) > 0 {
				t.Error("Telegram polls: an autoscaler would add pollers")
			}
			if env.production {
				t.Error("production must use Telegram's webhook")
			}
		default:
			u, err := url.Parse(hook)
			if err != nil || u.Scheme != "https" || u.Path != r.telegram {
				t.Errorf("CLAVEBOT_TELEGRAM_WEBHOOK_URL %q: want https://HOST%s", hook, r.telegram)
			} else if !ingressHost(svc, u.Hostname(), r.telegram) {
				t.Errorf("no Ingress serves %s over TLS", hook)
			}
			if _, ok := cfg["CLAVEBOT_TELEGRAM_WEBHOOK_SECRET"]; !ok {
				t.Error("webhook mode needs CLAVEBOT_TELEGRAM_WEBHOOK_SECRET")
			}
		}
	})
}

// WhatsApp: whatsmeow holds one device from one replica (a Redis lease),
// any replica count is safe; Cloud mode needs its webhook routed and its
// secrets. Production uses Cloud.
func TestWhatsAppMode(t *testing.T) {
	r, err := routes()
	if err != nil {
		t.Fatal(err)
	}
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		_, cfg := serverEnv(t, env, svc)
		on := slices.Contains([]string{"1", "true", "yes", "on"}, strings.ToLower(cfg["CLAVEBOT_WHATSAPP"].value))
		mode := cfg["CLAVEBOT_WHATSAPP_MODE"].value
		if mode == "" {
			mode = "whatsmeow"
		}
		if env.production && (!on || mode != "cloud") {
			t.Errorf("production: WhatsApp %v in mode %s, want the Cloud API", on, mode)
		}
		if !on || mode != "cloud" {
			return
		}
		for _, k := range []string{"CLAVEBOT_WHATSAPP_TOKEN", "CLAVEBOT_WHATSAPP_APP_SECRET", "CLAVEBOT_WHATSAPP_VERIFY_TOKEN", "CLAVEBOT_WHATSAPP_PHONE_NUMBER_ID"} {
			if _, ok := cfg[k]; !ok {
				t.Errorf("Cloud mode needs %s", k)
			}
		}
		routed := false
		for _, ing := range of[*networkingv1.Ingress](svc) {
			for _, rule := range ing.Spec.Rules {
				routed = routed || ingressHost(svc, rule.Host, r.whatsapp)
			}
		}
		if !routed {
			t.Errorf("Cloud mode: no Ingress routes %s over TLS", r.whatsapp)
		}
	})
}

func TestRetentionRunsNightly(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		var found bool
		for _, cj := range of[*batchv1.CronJob](svc) {
			c := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
			if len(c.Args) == 0 || c.Args[0] != "retention" {
				continue
			}
			found = true
			if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
				t.Errorf("CronJob %s: two deletions must not overlap", cj.Name)
			}
			if cj.Spec.TimeZone == nil || *cj.Spec.TimeZone != "America/Argentina/Buenos_Aires" {
				t.Errorf("CronJob %s: schedule it in Argentina's time zone", cj.Name)
			}
			if cj.Spec.JobTemplate.Spec.ActiveDeadlineSeconds == nil {
				t.Errorf("CronJob %s: a run needs a deadline", cj.Name)
			}
		}
		if !found {
			t.Error("no CronJob runs clavebot retention")
		}
	})
}

func TestJobsMigrateAndImport(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		cmds := map[string]*batchv1.Job{}
		for _, j := range of[*batchv1.Job](jobs) {
			c := j.Spec.Template.Spec.Containers[0]
			inv := invoke(t, "Job/"+j.Name, c.Args)
			cmds[inv.command] = j
			if j.Spec.BackoffLimit == nil || j.Spec.ActiveDeadlineSeconds == nil {
				t.Errorf("Job %s: needs a backoff limit and a deadline", j.Name)
			}
			if inv.command != "registry import" {
				continue
			}
			if len(inv.positional) != 1 || !mounted(c, inv.positional[0]) {
				t.Errorf("Job %s: imports %v, want one file on a mounted volume", j.Name, inv.positional)
			}
			if j.Spec.Suspend == nil || !*j.Spec.Suspend {
				t.Errorf("Job %s: must start suspended, until the file is in its volume", j.Name)
			}
		}
		for _, want := range []string{"registry migrate", "registry import"} {
			if cmds[want] == nil {
				t.Errorf("no Job runs clavebot %s", want)
			}
		}
	})
}

func mounted(c corev1.Container, file string) bool {
	for _, m := range c.VolumeMounts {
		if strings.HasPrefix(file, strings.TrimSuffix(m.MountPath, "/")+"/") {
			return true
		}
	}
	return false
}

// The service and its Jobs run one release; production names it.
func TestOneReleasePerEnvironment(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, jobs []runtime.Object) {
		images := map[string]bool{}
		for _, pt := range podTemplates(append(slices.Clone(svc), jobs...)) {
			for _, c := range pt.spec.Containers {
				if isClavebot(c) {
					images[c.Image] = true
				}
			}
		}
		if len(images) != 1 {
			t.Fatalf("clavebot images %v, want one", images)
		}
		for img := range images {
			if img == "clavebot" || !strings.Contains(img, "/") {
				t.Errorf("image %q: the release component sets no registry", img)
			}
			if env.production && (strings.HasSuffix(img, ":latest") || !strings.ContainsAny(img, ":@")) {
				t.Errorf("production image %q: name a release, not latest", img)
			}
		}
	})
}

// The production Secret is created outside the repository; its example
// holds placeholders only and every key the service needs.
func TestProductionSecretExample(t *testing.T) {
	for _, env := range environments {
		if !env.production {
			continue
		}
		ext := externalSecrets(t, env)
		if len(ext) != 1 {
			t.Fatalf("%s: want secret.example.yaml", env.service)
		}
		s := ext[0]
		for _, o := range kustomize(t, env.service) {
			if sec, ok := o.(*corev1.Secret); ok && sec.Name == s.Name {
				t.Errorf("the build ships Secret %s: production's is created outside the repository", s.Name)
			}
		}
		for k, v := range s.StringData {
			checkEnvName(t, "secret.example.yaml", k)
			if v != "" && !strings.Contains(v, "CHANGE-ME") {
				t.Errorf("secret.example.yaml %s: %q looks like a real value, want CHANGE-ME", k, v)
			}
		}
		for _, k := range []string{"CLAVEBOT_DATABASE_URL", "CLAVEBOT_REDIS_URL", "CLAVEBOT_QUESTION_SECRET", "CLAVEBOT_API_TOKEN"} {
			if _, ok := s.StringData[k]; !ok {
				t.Errorf("secret.example.yaml lacks %s", k)
			}
		}
	}
}

// serve refuses a non-loopback --http-addr without --api-token (FLAGS.md,
// identity branch): every replica listening for the cluster needs one.
func TestServeHasAnAPIToken(t *testing.T) {
	forEach(t, func(t *testing.T, env environment, svc, _ []runtime.Object) {
		_, cfg := serverEnv(t, env, svc)
		checkAPIToken(t, "server", cfg["CLAVEBOT_HTTP_ADDR"].value, cfg)
	})
}

func checkAPIToken(t *testing.T, where, addr string, cfg map[string]setting) {
	t.Helper()
	host, _, _ := strings.Cut(addr, ":")
	if addr == "" || host == "127.0.0.1" || host == "localhost" || host == "[::1]" {
		return
	}
	if tok, ok := cfg["CLAVEBOT_API_TOKEN"]; !ok || (tok.known && tok.value == "") {
		t.Errorf("%s listens on %s without CLAVEBOT_API_TOKEN", where, addr)
	}
}
