package deploy

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

const (
	composeFile    = "compose.yaml"
	composeEnvFile = "compose.env.example"
)

// loadCompose loads the compose file as `docker compose` would, schema
// validation included, with env as the variables of deploy/.env.
func loadCompose(t *testing.T, content []byte, env map[string]string) (*types.Project, error) {
	t.Helper()
	wd, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  wd,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(wd, composeFile), Content: content}},
		Environment: env,
	}, func(o *loader.Options) { o.SetProjectName("clavebot", true) })
}

// exampleEnv reads compose.env.example, the file operators copy to .env.
func exampleEnv(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(composeEnvFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: %q is not NAME=value", composeEnvFile, line)
		}
		env[k] = v
	}
	return env
}

func composeProject(t *testing.T) *types.Project {
	t.Helper()
	content, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	p, err := loadCompose(t, content, exampleEnv(t))
	if err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	return p
}

// The loader is strict: an unknown key and a missing secret both fail.
func TestComposeLoaderIsStrict(t *testing.T) {
	content, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadCompose(t, content, exampleEnv(t)); err != nil {
		t.Fatalf("the file itself: %v", err)
	}
	bad := strings.Replace(string(content), "    healthcheck:", "    healthchek:", 1)
	if _, err := loadCompose(t, []byte(bad), exampleEnv(t)); err == nil {
		t.Error("an unknown key loads")
	}
	for _, name := range []string{"POSTGRES_PASSWORD", "CLAVEBOT_QUESTION_SECRET", "CLAVEBOT_API_TOKEN"} {
		env := exampleEnv(t)
		delete(env, name)
		if _, err := loadCompose(t, content, env); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: %v, want an error naming it", name, err)
		}
	}
}

func TestComposeServices(t *testing.T) {
	p := composeProject(t)
	if got, want := p.ServiceNames(), []string{"clavebot", "migrate", "postgres", "redis"}; !slices.Equal(sorted(got), want) {
		t.Errorf("`up` starts %v, want %v", got, want)
	}
	all := p.AllServices()
	for _, name := range []string{"import", "retention"} {
		if s, ok := all[name]; !ok || !slices.Contains(s.Profiles, "tools") {
			t.Errorf("%s: want a service in the tools profile", name)
		}
	}
	for _, name := range []string{"postgres", "redis"} {
		hc := all[name].HealthCheck
		if hc == nil || hc.Disable || len(hc.Test) < 2 || hc.Interval == nil {
			t.Errorf("%s: needs a health check", name)
		}
	}
	wantDeps := map[string]map[string]string{
		"migrate":   {"postgres": types.ServiceConditionHealthy},
		"clavebot":  {"postgres": types.ServiceConditionHealthy, "redis": types.ServiceConditionHealthy, "migrate": types.ServiceConditionCompletedSuccessfully},
		"import":    {"migrate": types.ServiceConditionCompletedSuccessfully},
		"retention": {"postgres": types.ServiceConditionHealthy},
	}
	for name, deps := range wantDeps {
		for dep, cond := range deps {
			if got := all[name].DependsOn[dep].Condition; got != cond {
				t.Errorf("%s depends on %s %q, want %q", name, dep, got, cond)
			}
		}
	}
	if r := all["migrate"].Restart; r != "no" {
		t.Errorf("migrate restarts %q: it runs once", r)
	}
}

// Exactly one `serve`, one replica: one Telegram poller at most.
func TestComposeRunsOneServe(t *testing.T) {
	p := composeProject(t)
	var serves []string
	for name, s := range p.AllServices() {
		if isClavebotImage(s) && len(s.Command) > 0 && s.Command[0] == "serve" {
			serves = append(serves, name)
			if n := s.GetScale(); n != 1 {
				t.Errorf("%s runs %d replicas: Telegram allows one poller per token", name, n)
			}
			cfg := map[string]setting{}
			for k, v := range s.Environment {
				if v != nil {
					cfg[k] = setting{value: *v, known: true}
				}
			}
			checkAPIToken(t, name, cfg["CLAVEBOT_HTTP_ADDR"].value, cfg)
			for _, port := range s.Ports {
				if port.HostIP != "127.0.0.1" {
					t.Errorf("%s publishes %s on %q: the host only, behind an https proxy", name, port.Published, port.HostIP)
				}
			}
		}
	}
	if len(serves) != 1 {
		t.Errorf("services running serve: %v, want one", serves)
	}
}

func isClavebotImage(s types.ServiceConfig) bool {
	return s.Build != nil && strings.HasSuffix(filepath.ToSlash(s.Build.Dockerfile), "deploy/Dockerfile")
}

// Every clavebot service runs a command, flags and variables the binary has.
func TestComposeConfigurationExistsInTheBinary(t *testing.T) {
	p := composeProject(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range p.AllServices() {
		if !isClavebotImage(s) {
			continue
		}
		if s.Build.Context != root {
			t.Errorf("%s builds from %s, want the repository %s", name, s.Build.Context, root)
		}
		if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") {
			t.Errorf("%s: read-only, no capabilities", name)
		}
		where := "compose " + name
		invoke(t, where, s.Command)
		for k := range s.Environment {
			if strings.HasPrefix(k, "CLAVEBOT_") {
				checkEnvName(t, where, k)
			} else {
				t.Errorf("%s: variable %s is not clavebot's", where, k)
			}
		}
	}
	for k := range exampleEnv(t) {
		if strings.HasPrefix(k, "CLAVEBOT_") {
			checkEnvName(t, composeEnvFile, k)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
