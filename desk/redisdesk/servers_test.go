package redisdesk_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/clavebot/clavebot/internal/testenv"
)

// onEveryServer runs test on each Redis deployment clavebot supports; a
// script touching keys of several hash slots fails on the cluster.
func onEveryServer(t *testing.T, test func(t *testing.T, newClient func(testing.TB) redis.UniversalClient)) {
	servers := []struct {
		name   string
		client func(testing.TB) redis.UniversalClient
	}{
		{"redis", func(tb testing.TB) redis.UniversalClient { return testenv.Redis(tb) }},
		{"cluster", testenv.RedisCluster},
		{"sentinel", testenv.RedisSentinel},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) { test(t, s.client) })
	}
}
