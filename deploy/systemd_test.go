package deploy

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unit is a systemd unit file: section -> key -> values (keys repeat).
type unit map[string]map[string][]string

func readUnit(t *testing.T, name string) unit {
	t.Helper()
	f, err := os.Open(filepath.Join("systemd", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	u, section := unit{}, ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			u[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s: %q is not KEY=value in a section", name, line)
			}
			u[section][k] = append(u[section][k], v)
		}
	}
	return u
}

const binaryPath = "/usr/local/bin/clavebot"

// Every clavebot command the units run exists, with its flags; the
// environment file example names variables the binary reads.
func TestSystemdUnits(t *testing.T) {
	serves := 0
	for _, name := range []string{"clavebot.service", "clavebot-retention.service"} {
		u := readUnit(t, name)
		svc := u["Service"]
		if svc == nil || len(svc["ExecStart"]) != 1 {
			t.Fatalf("%s: want one ExecStart", name)
		}
		if got := svc["EnvironmentFile"]; len(got) != 1 || got[0] != "/etc/clavebot/env" {
			t.Errorf("%s: EnvironmentFile %v, want /etc/clavebot/env", name, got)
		}
		if svc["DynamicUser"] == nil || svc["NoNewPrivileges"] == nil {
			t.Errorf("%s: run as a dynamic user without new privileges", name)
		}
		for _, key := range []string{"ExecStartPre", "ExecStart"} {
			for _, line := range svc[key] {
				args := strings.Fields(line)
				if len(args) == 0 || args[0] != binaryPath {
					t.Errorf("%s %s: %q does not run %s", name, key, line, binaryPath)
					continue
				}
				inv := invoke(t, name+" "+key, args[1:])
				if inv.command == "serve" {
					serves++
				}
			}
		}
	}
	if serves != 1 {
		t.Errorf("%d units run serve, want 1 (one Telegram poller)", serves)
	}
	timer := readUnit(t, "clavebot-retention.timer")
	if timer["Timer"]["OnCalendar"] == nil || timer["Install"]["WantedBy"] == nil {
		t.Error("clavebot-retention.timer: want OnCalendar and an [Install] target")
	}
	f, err := os.ReadFile(filepath.Join("systemd", "clavebot.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(f), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _ := strings.Cut(line, "=")
		checkEnvName(t, "clavebot.env.example", k)
	}
}
