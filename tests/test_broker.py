"""The worker's broker connection survives Redis going away (``psm_portal.lib.broker``).

celery 5.7.0 + kombu 5.7.0: when Redis dies while the task channel has an unacknowledged message and a BRPOP in
flight, the consumer's recovery (``connection.collect()`` then ``connection.close()``, in celery's
``Consumer.on_connection_error_after_connected``) raised ``AttributeError: 'NoneType' object has no attribute
'hostname'`` from kombu's ``restore_unacked``, and the worker exited. This replays that recovery against a private
redis-server that is killed; ``tests/faults/test_broker_outage.py`` does it with a real worker.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue

from tests.conftest import skip_or_fail
from tests.processes import free_port, port_open, wait_until

TRANSPORT = "psm_portal.lib.broker:Transport"


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if not binary:
        skip_or_fail("redis-server non installato: il test del trasporto Redis lo richiede")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: port_open(port), timeout=10, what="redis-server non risponde")
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def _consume_one_and_leave_brpop_in_flight(conn: Connection):
    """The worker's state when the outage hits: one task running (unacknowledged), room for one more."""
    work = Queue("psm-broker-test", Exchange("psm-broker-test"), routing_key="psm-broker-test")
    remote_control = Queue(
        "psm-broker-test.pidbox", Exchange("psm-broker-test.pidbox", type="fanout"), auto_delete=True
    )
    received = []
    channel = conn.default_channel
    channel.basic_qos(prefetch_count=2)
    Consumer(channel, [work], callbacks=[lambda body, message: received.append(message)], accept=["json"]).consume()
    # Like Celery's remote control: a fanout consumer on a second channel, closed first on teardown.
    Consumer(
        conn.channel(), [remote_control], no_ack=True, callbacks=[lambda body, message: None], accept=["json"]
    ).consume()
    Producer(conn.channel(), exchange=work.exchange, routing_key="psm-broker-test").publish({"n": 1}, declare=[work])
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        try:
            conn.drain_events(timeout=0.5)
        except TimeoutError:
            pass
    assert received, "the message was not delivered"
    try:
        conn.drain_events(timeout=0.3)  # sends the next BRPOP, whose reply never comes
    except TimeoutError:
        pass
    assert channel._in_poll and len(channel.qos._delivered) == 1
    return channel


@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM])
def test_recovery_after_redis_dies_raises_only_connection_errors(redis_server, kill):
    process, url = redis_server
    conn = Connection(url, transport=TRANSPORT)
    _consume_one_and_leave_brpop_in_flight(conn)
    process.send_signal(kill)
    process.wait(timeout=10)

    # What celery's Consumer.on_connection_error_after_connected() does: it ignores any error from collect(), and
    # only connection and channel errors from close(). Anything else ends the worker.
    try:
        conn.collect(socket_timeout=5.0)
    except Exception:
        pass
    try:
        conn.close()
    except conn.connection_errors + conn.channel_errors:
        pass


def test_a_detached_channel_raises_a_connection_error(redis_server):
    _, url = redis_server
    conn = Connection(url, transport=TRANSPORT)
    channel = conn.default_channel
    conn.collect()  # detaches the transport: transport.client is None
    with pytest.raises(conn.connection_errors):
        channel._connparams()
