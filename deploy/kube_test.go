package deploy

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

const kubeDir = "kubernetes"

// environment is one overlay: the service, built with
// `kubectl apply -k <service>`, and its one-off Jobs, built apart.
type environment struct {
	name       string
	namespace  string
	service    string
	jobs       []string
	production bool
}

var environments = []environment{
	{
		name: "development", namespace: "clavebot-dev",
		service: "kubernetes/overlays/development",
		jobs:    []string{"kubernetes/overlays/development/migrate", "kubernetes/overlays/development/import"},
	},
	{
		name: "production", namespace: "clavebot", production: true,
		service: "kubernetes/overlays/production",
		jobs:    []string{"kubernetes/overlays/production/migrate", "kubernetes/overlays/production/import"},
	},
}

// The Kubernetes API types an object may decode into; any other kind fails.
var decoder = func() runtime.Decoder {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme,
		autoscalingv2.AddToScheme, policyv1.AddToScheme, networkingv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	// Strict: an unknown or duplicated field is an error, not dropped.
	return serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}()

// decode turns one YAML document into its typed object.
func decode(doc []byte) (runtime.Object, error) {
	obj, _, err := decoder.Decode(doc, nil, nil)
	return obj, err
}

var builds sync.Map // folder -> []runtime.Object

// kustomize builds the kustomization in dir (relative to this module) as
// `kubectl apply -k` would and decodes every object strictly.
func kustomize(t *testing.T, dir string) []runtime.Object {
	t.Helper()
	if objs, ok := builds.Load(dir); ok {
		return objs.([]runtime.Object)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	// kubectl apply -k orders objects the "legacy" way: Namespaces, then
	// ServiceAccounts, ConfigMaps and Secrets, before what uses them.
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionLegacy
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), abs)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var objs []runtime.Object
	for _, r := range m.Resources() {
		doc, err := r.AsYAML()
		if err != nil {
			t.Fatalf("%s: %s/%s: %v", dir, r.GetKind(), r.GetName(), err)
		}
		obj, err := decode(doc)
		if err != nil {
			t.Errorf("%s: %s/%s: %v", dir, r.GetKind(), r.GetName(), err)
			continue
		}
		objs = append(objs, obj)
	}
	builds.Store(dir, objs)
	return objs
}

// of returns the objects of type T.
func of[T runtime.Object](objs []runtime.Object) []T {
	var out []T
	for _, o := range objs {
		if v, ok := o.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func meta(o runtime.Object) metav1.Object {
	m, ok := o.(metav1.Object)
	if !ok {
		panic("no metadata")
	}
	return m
}

func kindName(o runtime.Object) string {
	return reflect.TypeOf(o).Elem().Name() + "/" + meta(o).GetName()
}

// podTemplate is the pods one object runs.
type podTemplate struct {
	owner  string // Kind/name
	labels map[string]string
	spec   corev1.PodSpec
	server bool // a Deployment or StatefulSet: it serves, so it is probed
}

func podTemplates(objs []runtime.Object) []podTemplate {
	var out []podTemplate
	for _, o := range objs {
		switch o := o.(type) {
		case *appsv1.Deployment:
			out = append(out, podTemplate{"Deployment/" + o.Name, o.Spec.Template.Labels, o.Spec.Template.Spec, true})
		case *appsv1.StatefulSet:
			out = append(out, podTemplate{"StatefulSet/" + o.Name, o.Spec.Template.Labels, o.Spec.Template.Spec, true})
		case *batchv1.Job:
			out = append(out, podTemplate{"Job/" + o.Name, o.Spec.Template.Labels, o.Spec.Template.Spec, false})
		case *batchv1.CronJob:
			out = append(out, podTemplate{"CronJob/" + o.Name, o.Spec.JobTemplate.Spec.Template.Labels, o.Spec.JobTemplate.Spec.Template.Spec, false})
		case *corev1.Pod:
			out = append(out, podTemplate{"Pod/" + o.Name, o.Labels, o.Spec, false})
		}
	}
	return out
}

// isClavebot says whether a container runs the clavebot image.
func isClavebot(c corev1.Container) bool {
	repo := c.Image
	if i := strings.LastIndex(repo, "/"); i >= 0 {
		repo = repo[i+1:]
	}
	repo, _, _ = strings.Cut(repo, "@")
	repo, _, _ = strings.Cut(repo, ":")
	return repo == "clavebot"
}

func selects(sel *metav1.LabelSelector, l map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil || s.Empty() {
		return false
	}
	return s.Matches(labels.Set(l))
}

// server is the environment's clavebot Deployment.
func server(t *testing.T, objs []runtime.Object) *appsv1.Deployment {
	t.Helper()
	for _, d := range of[*appsv1.Deployment](objs) {
		for _, c := range d.Spec.Template.Spec.Containers {
			if isClavebot(c) && len(c.Args) > 0 && c.Args[0] == "serve" {
				return d
			}
		}
	}
	t.Fatal("no Deployment runs clavebot serve")
	return nil
}

// externalSecrets are the Secrets an overlay expects to be created outside
// the repository: secret.example.yaml in its folder, never part of a build.
func externalSecrets(t *testing.T, env environment) []*corev1.Secret {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(env.service, "secret.example.yaml"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	obj, err := decode(doc)
	if err != nil {
		t.Fatalf("%s/secret.example.yaml: %v", env.service, err)
	}
	s, ok := obj.(*corev1.Secret)
	if !ok {
		t.Fatalf("%s/secret.example.yaml is not a Secret", env.service)
	}
	return []*corev1.Secret{s}
}

// setting is one environment variable of a container: its value where
// the build knows it (a Secret created outside the repository does not).
type setting struct {
	value string
	known bool
	from  string
}

// containerEnv resolves every variable a container gets, from envFrom and
// env, against the environment's objects and external Secrets; a
// reference to nothing is an error.
func containerEnv(t *testing.T, where string, c corev1.Container, objs []runtime.Object, ext []*corev1.Secret) map[string]setting {
	t.Helper()
	cms := map[string]*corev1.ConfigMap{}
	for _, cm := range of[*corev1.ConfigMap](objs) {
		cms[cm.Name] = cm
	}
	secrets := map[string]map[string]setting{}
	for _, s := range of[*corev1.Secret](objs) {
		secrets[s.Name] = secretSettings(s, true)
	}
	for _, s := range ext {
		secrets[s.Name] = secretSettings(s, false)
	}
	env := map[string]setting{}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			cm, ok := cms[from.ConfigMapRef.Name]
			if !ok {
				t.Errorf("%s: no ConfigMap %s", where, from.ConfigMapRef.Name)
				continue
			}
			for k, v := range cm.Data {
				env[k] = setting{v, true, "ConfigMap/" + cm.Name}
			}
		case from.SecretRef != nil:
			s, ok := secrets[from.SecretRef.Name]
			if !ok {
				t.Errorf("%s: no Secret %s, in the build or as secret.example.yaml", where, from.SecretRef.Name)
				continue
			}
			for k, v := range s {
				env[k] = v
			}
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = setting{e.Value, true, "env"}
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			v, ok := secrets[ref.Name][ref.Key]
			if !ok {
				t.Errorf("%s: %s: no key %s in Secret %s", where, e.Name, ref.Key, ref.Name)
			}
			env[e.Name] = v
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			v, ok := cms[ref.Name].Data[ref.Key]
			if !ok {
				t.Errorf("%s: %s: no key %s in ConfigMap %s", where, e.Name, ref.Key, ref.Name)
			}
			env[e.Name] = setting{v, ok, "ConfigMap/" + ref.Name}
		default:
			env[e.Name] = setting{from: "field"}
		}
	}
	return env
}

func secretSettings(s *corev1.Secret, known bool) map[string]setting {
	m := map[string]setting{}
	for k, v := range s.Data {
		m[k] = setting{string(v), known, "Secret/" + s.Name}
	}
	for k, v := range s.StringData {
		m[k] = setting{v, known, "Secret/" + s.Name}
	}
	return m
}

// kustomizations lists every folder under kubernetes/ with a
// kustomization.yaml, and whether it is a Component (built only as part
// of another).
func kustomizations(t *testing.T) map[string]bool {
	t.Helper()
	dirs := map[string]bool{}
	err := filepath.WalkDir(kubeDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "kustomization.yaml" {
			return err
		}
		doc, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var k struct{ Kind string }
		if err := yaml.Unmarshal(doc, &k); err != nil {
			return err
		}
		dirs[filepath.ToSlash(filepath.Dir(p))] = k.Kind == "Component"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

func TestEveryKustomizationBuildsStrictly(t *testing.T) {
	dirs := kustomizations(t)
	covered := map[string]bool{}
	for _, env := range environments {
		covered[env.service] = true
		for _, j := range env.jobs {
			covered[j] = true
		}
	}
	for dir, component := range dirs {
		if component {
			continue
		}
		t.Run(dir, func(t *testing.T) {
			if objs := kustomize(t, dir); len(objs) == 0 {
				t.Fatal("builds nothing")
			}
		})
		if strings.HasPrefix(dir, kubeDir+"/overlays/") && !covered[dir] {
			t.Errorf("%s is not in this test's environments: its invariants go unchecked", dir)
		}
	}
	for dir := range covered {
		if _, ok := dirs[dir]; !ok {
			t.Errorf("environment folder %s has no kustomization.yaml", dir)
		}
	}
}

// The strict decoder is what makes an unknown field fail; prove it does.
func TestDecoderRejectsUnknownFields(t *testing.T) {
	tests := []struct {
		name, doc string
		ok        bool
	}{
		{"valid", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n", true},
		{"unknown field", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {prots: [{port: 80}]}\n", false},
		{"duplicate field", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [], ports: []}\n", false},
		{"unknown kind", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n", false},
		{"bad quantity", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, resources: {requests: {cpu: lots}}}]}\n", false},
	}
	for _, tt := range tests {
		if _, err := decode([]byte(tt.doc)); (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
		}
	}
}

// The service's objects all carry the environment's namespace and the
// part-of label, so `kubectl get all -l app.kubernetes.io/part-of=clavebot`
// finds everything.
func TestObjectsAreNamespacedAndLabelled(t *testing.T) {
	for _, env := range environments {
		t.Run(env.name, func(t *testing.T) {
			for _, dir := range append([]string{env.service}, env.jobs...) {
				for _, o := range kustomize(t, dir) {
					m := meta(o)
					if _, ns := o.(*corev1.Namespace); !ns && m.GetNamespace() != env.namespace {
						t.Errorf("%s: %s in namespace %q, want %q", dir, kindName(o), m.GetNamespace(), env.namespace)
					}
					if m.GetLabels()["app.kubernetes.io/part-of"] != "clavebot" {
						t.Errorf("%s: %s lacks app.kubernetes.io/part-of=clavebot", dir, kindName(o))
					}
				}
			}
		})
	}
}
