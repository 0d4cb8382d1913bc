"""HTTP/2 clients that try to pile up streams, handlers or unsent answers without a token:
rapid reset, more streams than allowed, clients that never open their flow-control window.

Each test attacks a server of its own from ATTACKER while a GoodClient on another address
keeps asking for health (abuse.py); the offender must be limited or cut off, the server's RSS
must stay within the bound the docstring states, and the good client must be served.
"""

from hyperframe.frame import DataFrame, HeadersFrame

from abuse import (CANCEL, HANDLERS, IDLE, INITIAL_WINDOW_SIZE_SETTING, NO_ERROR, PROTOCOL_ERROR,
                   REFUSED_STREAM, WATCHES, GoodClient, Memory, RawH2, header_frames, metric,
                   rst_stream, scrape, serving, stateless_block, wait_for_gauges)
from h2wire import HEALTH_CHECK, HEALTH_WATCH

# Enough Watch streams for every test here to keep all of its streams running.
MANY_WATCHES = dict(MAX_WATCH_STREAMS_PER_CONNECTION=100, MAX_WATCH_STREAMS=5000)
REFUSED = "http2_streams_refused_total"


def open_watches(client, count, first_id=1):
    """Opens `count` Watch streams and waits until each has its first message (SERVING), so
    that each has a running handler. Returns their ids."""
    ids = list(range(first_id, first_id + 2 * count, 2))
    client.send(*[client.grpc_request(i, HEALTH_WATCH) for i in ids])
    wanted = set(ids)
    client.wait_for(lambda c: wanted <= {f.stream_id for f in c.of(DataFrame)},
                    f"the first message of {count} Watch streams")
    return ids


def rapid_reset(attacker, round_, code):
    """100 Watch streams, each opened and reset in the same write (ids of round `round_`)."""
    ids = range(1 + 200 * round_, 201 + 200 * round_, 2)
    code_of = code if callable(code) else (lambda _: code)
    attacker.send(*[attacker.grpc_request(i, HEALTH_WATCH) + rst_stream(i, code_of(i)) for i in ids])


# --- resets -------------------------------------------------------------------------------------


def test_watch_streams_reset_with_any_error_code_end_their_handlers():
    """For each HTTP/2 error code 0..13, a connection opens 100 Watch streams, waits until all
    stream, and resets them all with that code: every handler must end (the gauges are back at
    their baseline before the next code), NO_ERROR included, and the connection stays. 1400
    handlers come and go: RSS growth < 20 MiB (measured ~3 MiB; 1400 handlers that outlived
    their resets would each keep a task and a subscription)."""
    with serving(**MANY_WATCHES) as server:
        with RawH2(server) as warmup:
            warmup.send(*[rst_stream(i, CANCEL) for i in open_watches(warmup, 100)])
        wait_for_gauges(server, IDLE)
        memory = Memory(server)
        with GoodClient(server) as good:
            for code in range(14):
                with RawH2(server) as attacker:
                    attacker.send(*[rst_stream(i, code) for i in open_watches(attacker, 100)])
                    try:
                        wait_for_gauges(server, IDLE, timeout=5)
                    except AssertionError as failure:
                        raise AssertionError(f"after RST_STREAM with error code {code}: {failure}") from None
                    assert not attacker.closed, f"code {code}: {attacker.describe()}"
        good.assert_served()
        memory.assert_growth_below(20)


def test_forty_connections_of_reset_watch_streams_give_back_handlers_and_memory():
    """The original bug: 40 connections x 100 Watch streams, reset with RST_STREAM(NO_ERROR),
    then the connections closed, left the handlers running and ~100 MiB held. Three rounds of
    that: after each, all 4000 handlers must have ended. RSS peak < 60 MiB over the baseline
    (measured 32-39 MiB while 4000 streams run), and the later rounds reuse what the first one
    freed: RSS after round 4 is < 20 MiB above RSS after round 1. The allocator settles over
    the first rounds (1-13 MiB measured, flat at that level over 10 rounds); a round that kept
    its streams' memory would add ~27 MiB, 81 over the three later rounds."""
    with serving(**MANY_WATCHES) as server:
        with RawH2(server) as warmup:
            warmup.send(*[rst_stream(i, NO_ERROR) for i in open_watches(warmup, 100)])
        wait_for_gauges(server, IDLE)
        memory = Memory(server)
        after_round = []
        with GoodClient(server) as good:
            for _ in range(4):
                attackers = [RawH2(server) for _ in range(40)]
                try:
                    streams = [open_watches(attacker, 100) for attacker in attackers]
                    assert scrape(server)[WATCHES] == 4000
                    for attacker, ids in zip(attackers, streams):
                        attacker.send(*[rst_stream(i, NO_ERROR) for i in ids])
                finally:
                    for attacker in attackers:
                        attacker.close()
                wait_for_gauges(server, IDLE)
                after_round.append(memory.now())
        good.assert_served()
        print("RSS after each round: " + ", ".join(f"{mib:.1f}" for mib in after_round) + " MiB")
        memory.assert_growth_below(60)
        assert after_round[-1] - after_round[0] < 20, f"RSS after each round: {after_round} MiB"


def test_rapid_reset_with_every_error_code_keeps_at_most_100_handlers_per_connection():
    """Rapid reset (CVE-2023-44487): 10 connections open Watch streams and reset them in the
    same write, 900 each (under nghttp2's own budget of 1000 resets), cycling through the error
    codes 0..13. A reset stream counts until its handler returns, so a connection never has more
    than 100 handlers (streams past that are REFUSED_STREAM): the gauge, sampled between rounds,
    stays <= baseline + 10 x 100, no connection is cut off, and all handlers end. RSS growth
    < 24 MiB (measured ~4 MiB)."""
    with serving(**MANY_WATCHES) as server:
        wait_for_gauges(server, IDLE)
        memory = Memory(server)
        highest = 0
        with GoodClient(server) as good:
            attackers = [RawH2(server) for _ in range(10)]
            try:
                for round_ in range(9):
                    for attacker in attackers:
                        rapid_reset(attacker, round_, code=lambda stream_id: stream_id % 14)
                    for attacker in attackers:
                        attacker.read_for(0.02)
                    highest = max(highest, scrape(server)[HANDLERS])
                for attacker in attackers:
                    assert not attacker.closed and attacker.goaway is None, attacker.describe()
            finally:
                for attacker in attackers:
                    attacker.close()
            wait_for_gauges(server, IDLE)
        good.assert_served()
        assert highest <= 1000 + 2, highest  # the scrape's own handler, and a good client's Check
        memory.assert_growth_below(24)


def test_rapid_reset_past_nghttp2s_budget_gets_goaway():
    """Past 1000 resets at once (nghttp2's burst; it refills 33 per second) a connection gets
    GOAWAY with an error code and is closed, and its handlers end. The attacker reconnects and
    does it again, five times. RSS growth < 16 MiB (measured ~3 MiB)."""
    with serving(**MANY_WATCHES) as server:
        wait_for_gauges(server, IDLE)
        memory = Memory(server)
        with GoodClient(server) as good:
            for _ in range(5):
                with RawH2(server) as attacker:
                    for round_ in range(15):
                        rapid_reset(attacker, round_, CANCEL)
                        attacker.read_for(0.01)
                    assert attacker.wait_closed(), attacker.describe()
                    assert attacker.goaway is not None and attacker.goaway.error_code != NO_ERROR, attacker.describe()
            wait_for_gauges(server, IDLE)
        good.assert_served()
        memory.assert_growth_below(16)


# --- more streams than allowed --------------------------------------------------------------


def test_a_101st_stream_after_the_settings_ack_is_a_connection_error():
    """SETTINGS_MAX_CONCURRENT_STREAMS is 100. A client that acknowledged it and opens a 101st
    stream while 100 Watch streams run breaks a limit it knows: nghttp2 answers GOAWAY
    PROTOCOL_ERROR and closes, and the 100 handlers end."""
    with serving(**MANY_WATCHES) as server:
        wait_for_gauges(server, IDLE)
        with GoodClient(server) as good, RawH2(server) as attacker:
            open_watches(attacker, 100)
            attacker.send(attacker.grpc_request(201, HEALTH_WATCH))
            assert attacker.wait_closed(), attacker.describe()
            assert attacker.goaway is not None and attacker.goaway.error_code == PROTOCOL_ERROR, attacker.describe()
            wait_for_gauges(server, IDLE)
        good.assert_served(at_least=1)


def test_streams_past_100_before_the_settings_ack_are_refused_and_the_rest_keep_running():
    """A client that has not acknowledged the SETTINGS yet may not know the limit: its streams
    past 100 get RST_STREAM(REFUSED_STREAM), which it may retry, and its first 100 Watch
    streams keep running (each still answers a status change: here, their own reset ending
    them is observed as the gauges going back)."""
    with serving(**MANY_WATCHES) as server:
        wait_for_gauges(server, IDLE)
        with RawH2(server, ack_settings=False) as attacker:
            running = open_watches(attacker, 100)
            extra = range(201, 221, 2)
            attacker.send(*[attacker.grpc_request(i, HEALTH_WATCH) for i in extra])
            attacker.wait_for(lambda c: set(extra) <= set(c.resets()), "RST_STREAM on the 10 extra streams")
            assert {attacker.resets()[i] for i in extra} == {REFUSED_STREAM}, attacker.describe()
            assert not set(running) & set(attacker.resets()), attacker.describe()
            assert scrape(server)[WATCHES] == 100
            assert attacker.goaway is None and not attacker.closed, attacker.describe()


def test_reset_streams_count_until_their_handlers_return():
    """The server's own limit, on top of nghttp2's: requests in progress per connection, open
    streams *plus reset streams whose handlers still run*, are at most 100. 100 Watch streams
    run; one write resets them all and opens 100 new ones. nghttp2 sees 0 open streams, but
    the 100 cancelled handlers have not returned yet when the new HEADERS are read (the same
    read, on the connection's event loop), so all 100 new streams are REFUSED_STREAM and
    counted in http2_streams_refused_total. Once the handlers have returned, 100 new Watch
    streams are served again."""
    with serving(**MANY_WATCHES) as server:
        wait_for_gauges(server, IDLE)
        refused_before = metric(scrape(server), REFUSED)
        with RawH2(server) as attacker:
            first = open_watches(attacker, 100)
            second = range(201, 401, 2)
            attacker.send(*[rst_stream(i, CANCEL) for i in first],
                          *[attacker.grpc_request(i, HEALTH_WATCH) for i in second])
            attacker.wait_for(lambda c: set(second) <= set(c.resets()), "an answer to each new stream")
            assert {attacker.resets()[i] for i in second} == {REFUSED_STREAM}, attacker.describe()
            wait_for_gauges(server, IDLE)
            assert metric(scrape(server), REFUSED) - refused_before == 100
            open_watches(attacker, 100, first_id=401)
            assert not set(range(401, 601, 2)) & set(attacker.resets()), attacker.describe()


# --- clients that do not read -----------------------------------------------------------------


def test_zero_window_clients_get_100_streams_each_and_their_handlers_finish():
    """10 connections announce SETTINGS_INITIAL_WINDOW_SIZE 0, never send WINDOW_UPDATE, and
    ask for 300 Health/Checks each (not acknowledging the SETTINGS, so nothing is a connection
    error). Each gets 100 streams, answered with HEADERS whose DATA then waits forever; the
    other 200 are REFUSED_STREAM. The handlers all return (their answers wait in the
    connection, not in a task): the handler gauge is back at its baseline while the
    connections stay stalled. RSS growth < 16 MiB (measured ~2 MiB; 1000 small answers)."""
    with serving() as server:
        wait_for_gauges(server, IDLE)
        memory = Memory(server)
        with GoodClient(server) as good:
            attackers = [RawH2(server, settings={INITIAL_WINDOW_SIZE_SETTING: 0}, ack_settings=False)
                         for _ in range(10)]
            try:
                for attacker in attackers:
                    attacker.send(*[attacker.grpc_request(i, HEALTH_CHECK) for i in range(1, 601, 2)])
                for attacker in attackers:
                    attacker.wait_for(lambda c: len(c.of(HeadersFrame)) + len(c.resets()) == 300,
                                      "an answer (HEADERS or RST_STREAM) to each of 300 streams")
                    assert len(attacker.of(HeadersFrame)) == 100, attacker.describe()
                    assert set(attacker.resets().values()) == {REFUSED_STREAM}, attacker.describe()
                    assert not attacker.of(DataFrame), attacker.describe()
                wait_for_gauges(server, IDLE)
                good.wait_for_probes()
            finally:
                for attacker in attackers:
                    attacker.close()
        good.assert_served()
        memory.assert_growth_below(16)


def test_zero_window_clients_cannot_pin_large_answers():
    """The largest answer anyone may ask for without a token used to be a 404 naming the path:
    ~15 KiB for a path that fills the 16 KiB header list. One peer opens 20 connections (within
    its cap) with SETTINGS_INITIAL_WINDOW_SIZE 0 and asks for 100 of those on each, then never
    reads: 2000 answers wait for a window that never opens. Bound: RSS growth < 24 MiB for 20
    connections (~1 MiB per connection). It measured ~80 MiB while the 404 echoed the whole path
    and each stream kept its request head; error messages now quote 128 characters and a stream
    drops its head once delivered: ~5 MiB. The connections ask one after the other, each once
    the previous one has its answers, so the event loops stay free for the good client."""
    with serving() as server:
        memory = Memory(server)
        with GoodClient(server) as good:
            attackers = [RawH2(server, settings={INITIAL_WINDOW_SIZE_SETTING: 0}) for _ in range(20)]
            try:
                for attacker in attackers:
                    block = stateless_block([(":method", "GET"), (":scheme", "http"),
                                             (":authority", attacker.authority), (":path", "/" + "a" * 15000)])
                    attacker.send(*[header_frames(i, block, end_stream=True) for i in range(1, 201, 2)])
                    attacker.wait_for(lambda c: len(c.of(HeadersFrame)) == 100, "100 answers' HEADERS")
                    assert {f.fields[":status"] for f in attacker.of(HeadersFrame)} == {"404"}
                good.wait_for_probes()
                growth = memory.growth
            finally:
                for attacker in attackers:
                    attacker.close()
        good.assert_served()
        assert growth < 24, f"20 zero-window connections pinned {growth:.1f} MiB of RSS"
