"""Places orders at a steady rate and measures, for each, POST /orders until the read side shows it "confirmed".

Usage: order-to-confirmed.py BASE_URL RATE SECONDS. One watcher asks GET /orders?customer=&status=confirmed every
10 ms (the run's own customer id, newest first), so the figures include up to about 10 ms of polling; watching
each order by itself would load the service more than the orders do. Prints count, p50 and p99 in milliseconds.
"""
import json
import sys
import threading
import time
import urllib.request
import uuid

base, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
customer = "c-e2e-" + str(uuid.uuid4())
order = json.dumps({"customerId": customer, "lines": [
    {"sku": "bench-book", "quantity": 1, "unitPrice": {"amountMinor": 1, "currency": "EUR"}}]}).encode()
placed_at, confirmed_at, lock = {}, {}, threading.Lock()
done = threading.Event()


def place():
    start = time.monotonic()
    request = urllib.request.Request(base + "/orders", data=order, headers={"Content-Type": "application/json"})
    order_id = json.load(urllib.request.urlopen(request))["orderId"]
    with lock:
        placed_at[order_id] = start


def watch():
    url = f"{base}/orders?customer={customer}&status=confirmed&size=100"
    while not done.is_set():
        now = time.monotonic()
        for item in json.load(urllib.request.urlopen(url))["items"]:
            with lock:
                confirmed_at.setdefault(item["orderId"], now)
        time.sleep(0.01)


watcher = threading.Thread(target=watch)
watcher.start()
threads, begin = [], time.monotonic()
total = int(rate * seconds)
for i in range(total):
    time.sleep(max(0.0, begin + i / rate - time.monotonic()))
    thread = threading.Thread(target=place)
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
deadline = time.monotonic() + 60
while time.monotonic() < deadline and len(confirmed_at.keys() & placed_at.keys()) < total:
    time.sleep(0.1)
done.set()
watcher.join()
latencies = sorted((confirmed_at[i] - placed_at[i]) * 1000 for i in placed_at if i in confirmed_at)
if len(latencies) < total:
    sys.exit(f"{total - len(latencies)} of {total} orders were not confirmed within 60 s")
p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))]
print(f"{'POST /orders -> view confirmed, ' + str(int(rate)) + '/s':<44} {'orders':>8} {'p50 ms':>8} {'p99 ms':>8}")
print(f"{'':<44} {len(latencies):>8} {p(0.50):>8.1f} {p(0.99):>8.1f}")
