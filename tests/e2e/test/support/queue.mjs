// A queue of events that a test can wait on, with a deadline instead of a sleep.

export class Waiter {
  #items = [];
  #waiting = [];

  push(item) {
    const next = this.#waiting.shift();
    if (next) {
      next.resolve(item);
    } else {
      this.#items.push(item);
    }
  }

  /** The next item, or a rejection naming `what` after `ms` milliseconds. */
  next(what, ms = 30_000) {
    if (this.#items.length > 0) {
      return Promise.resolve(this.#items.shift());
    }
    return new Promise((resolve, reject) => {
      const entry = { resolve: (v) => { clearTimeout(timer); resolve(v); } };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(entry), 1);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      }, ms);
      this.#waiting.push(entry);
    });
  }

  get size() {
    return this.#items.length;
  }

  clear() {
    this.#items.length = 0;
  }
}
