// hello is a small HTTP service for trying Ferry: it answers with a greeting taken from the
// GREETING environment variable, and reports its health at /healthz.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
	"time"
)

func main() {
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		greeting = "hello from Ferry"
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	started := time.Now()

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s from %s", r.Method, r.URL.Path, r.RemoteAddr)
		fmt.Fprintf(w, "%s\n", greeting)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "ok %s/%s up %s\n", runtime.GOOS, runtime.GOARCH, time.Since(started).Round(time.Second))
	})
	http.HandleFunc("/time", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s\n", time.Now().Format(time.RFC3339))
	})

	log.Printf("hello listening on :%s (%s/%s)", port, runtime.GOOS, runtime.GOARCH)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
