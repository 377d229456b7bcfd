package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(newRouter("hi", NewStore(catalogue), NewHub()))
	t.Cleanup(srv.Close)
	return srv
}

func order(t *testing.T, url, body string) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := http.Post(url+"/api/orders", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	return resp, got
}

func TestAnOrderTakesStockAndTheLastKettleCannotBeSoldTwice(t *testing.T) {
	srv := newTestServer(t)

	resp, got := order(t, srv.URL, `{"product_id":"kettle","quantity":5}`)
	if resp.StatusCode != http.StatusCreated || got["total"] != float64(5*21000) {
		t.Fatalf("first order: %d %v", resp.StatusCode, got)
	}
	if loc := resp.Header.Get("Location"); loc != "/api/orders/"+got["id"].(string) {
		t.Fatalf("Location %q", loc)
	}
	resp, got = order(t, srv.URL, `{"product_id":"kettle","quantity":1}`)
	if resp.StatusCode != http.StatusConflict || got["error"] != errNoStock.Error() {
		t.Fatalf("second order: %d %v", resp.StatusCode, got)
	}
	if resp, _ := order(t, srv.URL, `{"product_id":"piano","quantity":1}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown product: %d", resp.StatusCode)
	}
}

func TestEventsStreamNewOrders(t *testing.T) {
	srv := newTestServer(t)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/api/events", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	// The hub registers the client just after the upgrade: order until the event arrives.
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got := make(chan map[string]any, 1)
	go func() {
		var ev map[string]any
		if conn.ReadJSON(&ev) == nil {
			got <- ev
		}
		close(got)
	}()
	for {
		order(t, srv.URL, `{"product_id":"tea","quantity":1}`)
		select {
		case ev, ok := <-got:
			if !ok || ev["type"] != "order" {
				t.Fatalf("event: %v", ev)
			}
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestHealthz(t *testing.T) {
	srv := newTestServer(t)
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "ok "+release) {
		t.Fatalf("%d %q %v", resp.StatusCode, body, err)
	}
}
