package main

import (
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Hub sends every new order to the clients connected to /api/events (a WebSocket).
type Hub struct {
	mu      sync.Mutex
	clients map[chan Order]struct{}
}

func NewHub() *Hub { return &Hub{clients: map[chan Order]struct{}{}} }

// Publish hands the order to every client; a client that is too slow misses it.
func (h *Hub) Publish(o Order) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c <- o:
		default:
		}
	}
}

func (h *Hub) subscribe() chan Order {
	c := make(chan Order, 16)
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	return c
}

func (h *Hub) unsubscribe(c chan Order) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  1024,
	WriteBufferSize: 1024,
	CheckOrigin:     func(r *http.Request) bool { return true },
}

func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client already
	}
	defer conn.Close()
	orders := h.subscribe()
	defer h.unsubscribe(orders)

	// The reader notices the client going away (and answers pings).
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for {
			if _, _, err := conn.NextReader(); err != nil {
				return
			}
		}
	}()

	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case o := <-orders:
			conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := conn.WriteJSON(map[string]any{"type": "order", "order": o}); err != nil {
				log.Printf("events: %v", err)
				return
			}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(10*time.Second)); err != nil {
				return
			}
		case <-gone:
			return
		case <-r.Context().Done():
			return
		}
	}
}
