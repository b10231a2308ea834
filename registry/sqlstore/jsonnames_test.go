package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestJSONNames: jsonNames gives what json.Unmarshal gives, for the plain
// arrays it reads in place and for everything it hands over.
func TestJSONNames(t *testing.T) {
	tests := []struct {
		name, in string
		plain    bool
	}{
		{"empty", `[]`, true},
		{"empty with spaces", " [ \n] \t", true},
		{"one", `["Acindar SA"]`, true},
		{"json_agg", `["Municipalidad de Córdoba", "ANSES", "Jubilación ordinaria"]`, true},
		{"spaces around", "\n[ \"a\" ,\r\"b\"\t] ", true},
		{"blank name", `["", " x "]`, true},
		{"escaped quote", `["Bar \"El Tano\""]`, false},
		{"escaped unicode", `["Caf\u00e9", "A \u0026 B"]`, false},
		{"escaped slash", `["a\/b"]`, false},
		{"null", `null`, false},
		{"not an array", `"x"`, false},
		{"number in array", `["a", 1]`, false},
		{"trailing comma", `["a",]`, false},
		{"unclosed", `["a"`, false},
		{"unclosed string", `["a`, false},
		{"trailing junk", `["a"] x`, false},
		{"control character", "[\"a\tb\"]", false},
		{"invalid UTF-8", "[\"a\xffb\"]", false},
		{"nested", `[["a"]]`, false},
		{"blank", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := plainNames(nil, tt.in); ok != tt.plain {
				t.Errorf("read in place: %v, want %v", ok, tt.plain)
			}
			var want []string
			wantErr := json.Unmarshal([]byte(tt.in), &want)
			got, err := jsonNames([]string{"before"}, tt.in)
			if err == nil {
				want = append([]string{"before"}, want...)
			}
			if (err != nil) != (wantErr != nil) || (err == nil && !reflect.DeepEqual(got, want)) {
				t.Errorf("jsonNames(%q) = %#v, %v; json.Unmarshal gives %#v, %v", tt.in, got, err, want, wantErr)
			}
		})
	}
}
