// A fixed-size buffer for time series: pushing past its capacity overwrites the oldest entry.

export class Ring<T> {
  private readonly items: T[] = [];
  /** Index of the oldest entry once the buffer is full. */
  private head = 0;

  constructor(readonly capacity: number) {}

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
  }

  /** The entries, oldest first. */
  toArray(): T[] {
    return this.items.slice(this.head).concat(this.items.slice(0, this.head));
  }
}
