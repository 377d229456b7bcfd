// shop is a small HTTP service for trying Ferry with real third-party dependencies
// (vendored): an in-memory product catalogue and orders as JSON, new orders pushed to
// WebSocket clients, and a health check at /healthz.
package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

func main() {
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		greeting = "welcome to the shop"
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	srv := &http.Server{
		Addr:              ":" + port,
		Handler:           newRouter(greeting, NewStore(catalogue), NewHub()),
		ReadHeaderTimeout: 10 * time.Second,
	}

	// `docker stop` sends SIGTERM: finish the requests under way, then leave.
	stop, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	go func() {
		<-stop.Done()
		ctx, done := context.WithTimeout(context.Background(), 5*time.Second)
		defer done()
		srv.Shutdown(ctx)
	}()

	log.Printf("%s listening on :%s (%s/%s)", release, port, runtime.GOOS, runtime.GOARCH)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	log.Printf("%s stopped", release)
}
