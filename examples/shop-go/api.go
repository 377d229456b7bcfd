package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func newRouter(greeting string, store *Store, hub *Hub) http.Handler {
	started := time.Now()
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.RealIP, middleware.Logger, middleware.Recoverer)

	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"greeting": greeting, "release": release})
	})
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok %s %s/%s up %s\n", release, runtime.GOOS, runtime.GOARCH,
			time.Since(started).Round(time.Second))
	})

	r.Route("/api", func(r chi.Router) {
		r.Get("/products", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, store.Products())
		})
		r.Get("/products/{id}", func(w http.ResponseWriter, r *http.Request) {
			p, ok := store.Product(chi.URLParam(r, "id"))
			if !ok {
				writeError(w, http.StatusNotFound, errNoProduct)
				return
			}
			writeJSON(w, http.StatusOK, p)
		})
		r.Get("/orders", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, store.Orders())
		})
		r.Get("/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
			o, ok := store.Order(chi.URLParam(r, "id"))
			if !ok {
				writeError(w, http.StatusNotFound, errors.New("no such order"))
				return
			}
			writeJSON(w, http.StatusOK, o)
		})
		r.Post("/orders", func(w http.ResponseWriter, r *http.Request) {
			var req struct {
				ProductID string `json:"product_id"`
				Quantity  int    `json:"quantity"`
			}
			if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
				writeError(w, http.StatusBadRequest, fmt.Errorf("invalid JSON: %w", err))
				return
			}
			o, err := store.PlaceOrder(req.ProductID, req.Quantity)
			switch {
			case errors.Is(err, errNoProduct):
				writeError(w, http.StatusNotFound, err)
			case errors.Is(err, errNoStock):
				writeError(w, http.StatusConflict, err)
			case err != nil:
				writeError(w, http.StatusBadRequest, err)
			default:
				hub.Publish(o)
				w.Header().Set("Location", "/api/orders/"+o.ID)
				writeJSON(w, http.StatusCreated, o)
			}
		})
		r.Handle("/events", hub)
	})
	return r
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
