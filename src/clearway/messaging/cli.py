"""`clearway worker relay` and `clearway worker webhooks`: the background workers as processes of their own.

Production (``CLEARWAY_BROKER_URL`` set): the relay publishes the outbox to RabbitMQ (declaring the topology
first, mandatory + confirmed batches), the webhook worker consumes declaration events from the ``webhooks``
queue into the per-subscription delivery queue and delivers it. Run any number of each. On SIGTERM (or Ctrl-C) a
worker finishes the batch in hand — the relay marks what the broker confirmed and releases its leases, the webhook
consumer hands unacknowledged messages back to the queue, deliveries under way finish — and exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Annotated

import typer

from clearway.cli.common import console, runtime

app = typer.Typer(
    help="Background workers: the outbox relay, webhook delivery, scheduled jobs.\n\nProduction: run beside the API, any "
    "number of each.",
    no_args_is_help=True,
)
log = logging.getLogger("clearway.worker")


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        console.print(f"signal {signum}: finishing the work in hand, then stopping")
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


@app.command("relay")
def relay(
    batch: Annotated[int, typer.Option(help="Messages claimed, published and confirmed per round")] = 500,
    interval: Annotated[float, typer.Option(help="Seconds between polls when the outbox is empty")] = 0.2,
    lease: Annotated[
        float, typer.Option(help="SQLite: seconds a claimed batch stays with a relay that died")
    ] = 60.0,
) -> None:
    """Publish committed outbox messages to the broker (CLEARWAY_BROKER_URL) until stopped."""
    from datetime import timedelta

    from clearway.messaging.bus import RabbitMQBus
    from clearway.messaging.outbox import Relay

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    rt = runtime()
    stop = _stop_on_signals()
    worker = Relay(
        rt.sessions, rt.bus, rt.clock, interval=interval, batch=batch, lease=timedelta(seconds=lease)
    )
    console.print(
        f"relaying the outbox to {'RabbitMQ' if rt.settings.broker_url else 'in-process handlers'} "
        f"(batches of {batch})"
    )
    if isinstance(rt.bus, RabbitMQBus):
        try:
            rt.bus.connect()  # the topology exists before anything is published
        except (
            Exception
        ) as error:  # the broker is away: the relay keeps trying, the outbox keeps the messages
            log.warning("broker unreachable at start-up (%s); retrying as the relay runs", error)
    thread = threading.Thread(target=worker.run, name="clearway-outbox-relay")
    thread.start()
    stop.wait()
    worker.request_stop()
    thread.join()
    rt.close()
    console.print(f"relay stopped after publishing {worker.published} messages")


@app.command("webhooks")
def webhooks(
    concurrency: Annotated[int, typer.Option(help="Endpoints delivered to at the same time")] = 8,
    batch: Annotated[int, typer.Option(help="Events taken from the queue per transaction")] = 200,
) -> None:
    """Deliver declaration events to the companies' webhook endpoints until stopped (from RabbitMQ's
    ``clearway.webhooks`` queue when CLEARWAY_BROKER_URL is set; else the jobs the relay wrote)."""
    from clearway.messaging.bus import RabbitMQBus, Topology
    from clearway.messaging.destinations import DestinationPolicy
    from clearway.messaging.webhooks import CONSUMER, WebhookDeliverer

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    rt = runtime()
    stop = _stop_on_signals()
    deliverer = WebhookDeliverer(
        rt.sessions,
        rt.clock,
        policy=DestinationPolicy.of(rt.settings.webhook_allowed_networks),
        concurrency=concurrency,
    )
    deliverer.start()
    url = rt.settings.broker_url
    if url:
        bus = RabbitMQBus(url, Topology(prefix=rt.settings.broker_prefix))
        console.print(f"delivering webhooks from queue {bus.topology.queue(CONSUMER)}")
        while not stop.is_set():
            try:
                bus.consume_batches(CONSUMER, deliverer.consume, stop=stop.is_set, batch=batch)
            except Exception:  # the broker or the database is away: try again shortly
                log.exception("webhook consumer failed; reconnecting")
                bus.close()
                stop.wait(2.0)
        bus.close()
    else:
        console.print("delivering webhooks from the delivery queue in the database")
        stop.wait()
    deliverer.stop()
    rt.close()
    console.print("webhook worker stopped")


@app.command("scheduler")
def scheduler(
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this job (repeatable)")] = None,
    tick: Annotated[float, typer.Option(help="Seconds between looks at which jobs are due")] = 30.0,
    show_status: Annotated[bool, typer.Option("--status", help="Show each job's last run and exit")] = False,
    once: Annotated[bool, typer.Option("--once", help="Run the jobs due now, then exit")] = False,
) -> None:
    """Run the periodic jobs (statistics refresh, traveller retention purge, audit anchor) when due, until
    stopped. Schedules: CLEARWAY_SCHEDULE (JSON, e.g. '{"statistics-refresh": "10m"}'). PostgreSQL: any number of
    schedulers (an advisory lock per job); SQLite: run one."""
    from rich.table import Table

    from clearway.jobs.runner import Scheduler, job_table, status

    rt = runtime()
    try:
        jobs = job_table(rt.settings.schedule, only)
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    if show_status:
        table = Table("job", "schedule", "last started", "outcome", "next due", "error")
        for row in status(rt, jobs):
            table.add_row(
                row["job"],
                row["schedule"],
                row["last_started"] or "never",
                row["outcome"] or "",
                row["next_due"],
                row["error"] or "",
            )
        console.print(table)
        rt.close()
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    worker = Scheduler(rt, jobs)
    if once:
        worker.tick()
    else:
        stop = _stop_on_signals()
        console.print("scheduling " + ", ".join(f"{j.name} ({j.schedule})" for j in jobs))
        thread = threading.Thread(target=worker.run, args=(tick,), name="clearway-scheduler")
        thread.start()
        stop.wait()
        worker.stop.set()
        thread.join()
    rt.close()
    failed = sum(1 for _, outcome in worker.runs if outcome == "failed")
    console.print(f"scheduler stopped after {len(worker.runs)} runs ({failed} failed)")
