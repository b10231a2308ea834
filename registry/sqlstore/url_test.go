package sqlstore

import (
	"strings"
	"testing"

	"github.com/clavebot/clavebot/internal/errs"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url, dialect, dsn, where string
	}{
		{"postgres://u:secret@db:5432/reg", Postgres, "postgres://u:secret@db:5432/reg?connect_timeout=10&sslmode=disable", "postgres at db:5432/reg"},
		{"postgresql://db/reg?sslmode=require&connect_timeout=3", Postgres, "postgresql://db/reg?connect_timeout=3&sslmode=require", "postgres at db/reg"},
		{"sqlite:./data/r.db", SQLite, "file:./data/r.db?" + sqlitePragmas, "sqlite file ./data/r.db"},
		{"sqlite:///var/r.db?_pragma=cache_size(-2000)", SQLite, "file:/var/r.db?" + sqlitePragmas + "&_pragma=cache_size(-2000)", "sqlite file /var/r.db"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := parseURL(tt.url)
			mustNotFail(t, err)
			if got.dialect != tt.dialect || got.dsn != tt.dsn || got.where != tt.where {
				t.Errorf("parseURL = %+v, want %s %s %s", got, tt.dialect, tt.dsn, tt.where)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, url string
		want      errs.Kind
	}{
		{"scheme", "mysql://localhost/x", errs.Invalid},
		{"unreachable postgres", "postgres://postgres@127.0.0.1:1/none", errs.Unavailable},
		{"sqlite without file", "sqlite:", errs.Invalid},
		{"sqlite in a file", "sqlite:/dev/null/registry.db", errs.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Open(t.Context(), tt.url, discard)
			if err == nil {
				d.Close()
				t.Fatal("Open succeeded")
			}
			if errs.KindOf(err) != tt.want || strings.Contains(err.Error(), "\n") {
				t.Errorf("Open: %q (%s), want one line of kind %s", err, errs.KindOf(err), tt.want)
			}
		})
	}
}
