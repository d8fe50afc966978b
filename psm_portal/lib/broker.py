"""kombu's Redis transport, with channels that close cleanly when Redis has gone away.

Selected by ``CELERY_BROKER_TRANSPORT`` in the settings whenever ``REDIS_URL`` is set (the web processes that
enqueue tasks and the workers alike). Remove it once a kombu or celery release fixes the problem below:
``tests/test_broker.py`` fails on the stock ``redis`` transport and will say so.

The problem, with celery 5.7.0 and kombu 5.7.0 (the newest releases as this is written): when Redis dies while a
worker runs a task (unacknowledged, since tasks acknowledge late) and has a free slot (a BRPOP in flight on the
task channel), and the loss is noticed first on another socket (the remote-control pub/sub connection), the
worker's recovery in ``Consumer.on_connection_error_after_connected`` does

1. ``connection.collect()``: kombu's redis ``Channel.close()`` first drains the pending BRPOP (``_brpop_read()``,
   added by https://github.com/celery/kombu/pull/1733, kombu 5.3.2); on the dead socket that raises
   ``ConnectionError`` *before* the channel is closed and its unacknowledged messages restored. ``collect()``
   swallows it, then detaches the transport (``transport.client = None``).
2. ``connection.close()`` (added in celery 5.7.0 by https://github.com/celery/celery/pull/10242) closes the
   channel again; this time the close reaches ``QoS.restore_unacked()``, which needs a new connection pool, and
   ``Channel._connparams()`` reads ``self.connection.client.hostname`` on the detached transport:
   ``AttributeError: 'NoneType' object has no attribute 'hostname'``. No caller catches an AttributeError, so it
   escapes ``Consumer.start()`` as "Unrecoverable error" and the worker exits (code 1), losing the running task's
   acknowledgement (it runs a second time after the visibility timeout).

The same AttributeError on other paths where a channel outlives its transport:
https://github.com/celery/kombu/issues/970 and https://github.com/celery/kombu/issues/582.

Two small overrides fix it:

* ``close()``: a connection error while draining the BRPOP no longer abandons the close, so the channel is closed
  (and the restore attempted) on the first pass, while the transport is still attached. With Redis down the
  restore fails with a ConnectionError, which the callers ignore; the messages stay in Redis' ``unacked`` hash,
  the still-running tasks acknowledge them after the reconnection, and anything left over is redelivered after
  the visibility timeout.
* ``_connparams()``: a channel whose transport has been detached raises redis' ``ConnectionError`` (which every
  kombu and celery caller treats as "broker gone, reconnect") instead of the AttributeError that kills the worker.

A ``rediss://`` URL: kombu turns TLS on by itself only when the transport is named ``rediss``; with this class add
``?ssl_cert_reqs=required`` to the URL (kombu then connects with TLS and checks the certificate).
"""

from __future__ import annotations

from queue import Empty

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def close(self):
        if self._in_poll:
            try:
                self._brpop_read()
            except Empty:
                pass
            except self.connection_errors:
                # The BRPOP's connection is dead: nothing can be read from it, and _brpop_read() has already
                # disconnected it and cleared _in_poll.
                pass
        super().close()

    def _connparams(self, asynchronous=False):
        transport = self.connection
        if transport is None or transport.client is None:
            raise RedisConnectionError("the broker connection of this channel has been closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(kombu_redis.Transport):
    Channel = Channel
