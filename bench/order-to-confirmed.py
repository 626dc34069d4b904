"""Places orders at a steady rate and measures, for each, POST /orders until GET /orders/{id} says "confirmed".

Usage: order-to-confirmed.py BASE_URL RATE SECONDS. Each order is watched by its own thread polling every 5 ms,
so the figures include up to 5 ms of polling granularity. Prints count, p50 and p99 in milliseconds.
"""
import json
import sys
import threading
import time
import urllib.request

base, rate, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
order = json.dumps({"customerId": "c-e2e", "lines": [
    {"sku": "bench-book", "quantity": 1, "unitPrice": {"amountMinor": 1, "currency": "EUR"}}]}).encode()
latencies, failures, lock = [], [], threading.Lock()


def watch():
    start = time.monotonic()
    request = urllib.request.Request(base + "/orders", data=order, headers={"Content-Type": "application/json"})
    order_id = json.load(urllib.request.urlopen(request))["orderId"]
    while time.monotonic() - start < 60:
        try:
            view = json.load(urllib.request.urlopen(base + "/orders/" + order_id))
            if view["status"] == "confirmed":
                with lock:
                    latencies.append((time.monotonic() - start) * 1000)
                return
            if view["status"] == "cancelled":
                break
        except urllib.error.HTTPError:
            pass  # 404 until the view has it
        time.sleep(0.005)
    with lock:
        failures.append(order_id)


threads, begin = [], time.monotonic()
for i in range(int(rate * seconds)):
    time.sleep(max(0.0, begin + i / rate - time.monotonic()))
    thread = threading.Thread(target=watch)
    thread.start()
    threads.append(thread)
for thread in threads:
    thread.join()
latencies.sort()
if failures or not latencies:
    sys.exit(f"{len(failures)} orders were not confirmed within 60 s")
p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))]
print(f"{'POST /orders -> view confirmed, ' + str(int(rate)) + '/s':<44} {'orders':>8} {'p50 ms':>8} {'p99 ms':>8}")
print(f"{'':<44} {len(latencies):>8} {p(0.50):>8.1f} {p(0.99):>8.1f}")
