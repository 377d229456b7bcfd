package main

import (
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Product is something the shop sells; Price is in cents.
type Product struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
	Stock int    `json:"stock"`
}

// Order is one purchase of Quantity units of a product.
type Order struct {
	ID        string    `json:"id"`
	ProductID string    `json:"product_id"`
	Quantity  int       `json:"quantity"`
	Total     int       `json:"total"`
	Created   time.Time `json:"created"`
}

var (
	errNoProduct  = errors.New("no such product")
	errNoStock    = errors.New("not enough stock")
	errBadRequest = errors.New("quantity must be at least 1")
)

// Store keeps the catalogue and the orders in memory; it is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	products map[string]*Product
	orders   map[string]Order
}

func NewStore(products []Product) *Store {
	s := &Store{products: map[string]*Product{}, orders: map[string]Order{}}
	for i := range products {
		p := products[i]
		s.products[p.ID] = &p
	}
	return s
}

func (s *Store) Products() []Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]Product, 0, len(s.products))
	for _, p := range s.products {
		list = append(list, *p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	return list
}

func (s *Store) Product(id string) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[id]
	if !ok {
		return Product{}, false
	}
	return *p, true
}

// PlaceOrder takes quantity units of the product out of stock and records the order.
func (s *Store) PlaceOrder(productID string, quantity int) (Order, error) {
	if quantity < 1 {
		return Order{}, errBadRequest
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[productID]
	if !ok {
		return Order{}, errNoProduct
	}
	if p.Stock < quantity {
		return Order{}, errNoStock
	}
	p.Stock -= quantity
	o := Order{
		ID:        uuid.NewString(),
		ProductID: productID,
		Quantity:  quantity,
		Total:     quantity * p.Price,
		Created:   time.Now().UTC(),
	}
	s.orders[o.ID] = o
	return o, nil
}

func (s *Store) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		list = append(list, o)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Created.Before(list[j].Created) })
	return list
}

func (s *Store) Order(id string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	return o, ok
}

var catalogue = []Product{
	{ID: "tea", Name: "Longjing green tea, 250 g", Price: 8800, Stock: 40},
	{ID: "mug", Name: "Celadon mug", Price: 3500, Stock: 25},
	{ID: "kettle", Name: "Cast-iron kettle", Price: 21000, Stock: 5},
}
