#!/usr/bin/env python3
"""Orders awaiting payment for the webhook benchmark's paying events
(scripts/bench-webhooks.sh): customer, order and line rows written straight
into the shop's database, each order paid by PaymentIntent `pi_bench_<n>`.

    seed_orders.py sqlite path/to/shop.db 9000
    seed_orders.py postgres postgres://shop@127.0.0.1:55432/bench 9000   (through psql)
"""
import sqlite3
import subprocess
import sys

FIRST_ID = 1_000_000  # above the demo customers' ids


def statements(count):
    for start in range(0, count, 500):
        ids = range(FIRST_ID + start, FIRST_ID + min(count, start + 500))
        yield "INSERT INTO customers (id, email, name, password_hash, locale, currency, country, created_at) VALUES " + ", ".join(
            f"({i}, 'bench{i}@example.com', 'Bench', 'not-a-hash', 'en', 'usd', 'US', 0)" for i in ids)
        yield "INSERT INTO orders (id, customer_id, status, currency, amount, payment_intent_id, created_at, updated_at) VALUES " + ", ".join(
            f"({i}, {i}, 'awaiting_payment', 'usd', 1800, 'pi_bench_{i - FIRST_ID}', 0, 0)" for i in ids)
        yield "INSERT INTO order_lines (order_id, product_id, name_en, name_fr, unit_amount, quantity, position) VALUES " + ", ".join(
            f"({i}, 'mug', 'Mug', 'Tasse', 1800, 1, 1)" for i in ids)


def main():
    backend, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if backend == "sqlite":
        db = sqlite3.connect(url)
        with db:
            for sql in statements(count):
                db.execute(sql)
        db.close()
    else:
        script = "BEGIN;\n" + ";\n".join(statements(count)) + ";\nCOMMIT;\n"
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url], input=script.encode(), check=True)


main()
