"""OperationsService over grpcio and REST: admins list jobs (dead ones included) and retry a
dead one, which keeps its previous error in its history; every webhook delivery is listed,
a refused one (bad signature) with its outcome, reason, body hash and size; experts and
customers are refused (PERMISSION_DENIED / 403)."""

import hashlib
import os
import uuid

import grpc
import pytest

from auth import ADMIN_TOKEN, DEV_KEY, with_token
from databases import psql
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from test_stream_video import rest

TIMEOUT = 10
EXPERT_TOKEN = DEV_KEY.token("user_ops_expert", "expert", "ops.expert@interop.example")
CUSTOMER_TOKEN = DEV_KEY.token("user_ops_customer", "customer", "ops.customer@interop.example")


@pytest.fixture(scope="module")
def ops(server):
    with grpc.insecure_channel(server.address) as channel:
        yield rpc.OperationsServiceStub(with_token(channel, ADMIN_TOKEN))


def dead_job(error):
    """A job that used up its attempts (no RPC can make one fail), of a kind nobody handles."""
    kind = f"interop.ops.{uuid.uuid4().hex[:8]}"
    job_id = psql(os.environ["INTEROP_DATABASE_URL"],
                  "INSERT INTO calls.jobs (kind, state, attempts, last_error, finished_at) "
                  f"VALUES ('{kind}', 'dead', 8, '{error}', now()) RETURNING id").splitlines()[0]
    return kind, job_id


def test_a_dead_job_is_listed_and_retried_with_its_error_kept(ops, server):
    kind, job_id = dead_job("trigger.dev answered 500")
    listed = ops.ListJobs(pb.ListJobsRequest(state=pb.JOB_STATE_DEAD, kind=kind), timeout=TIMEOUT)
    assert [job.id for job in listed.jobs] == [job_id]
    job = listed.jobs[0]
    assert (job.state, job.attempts, job.last_error) == (pb.JOB_STATE_DEAD, 8, "trigger.dev answered 500")
    assert not job.HasField("next_run_at") and job.HasField("created_at")

    retried = ops.RetryJob(pb.RetryJobRequest(id=job_id, reason="provider fixed"), timeout=TIMEOUT)
    assert (retried.state, retried.attempts, retried.last_error) == (pb.JOB_STATE_PENDING, 0, "")
    assert retried.HasField("next_run_at")
    assert [(e.kind, e.actor) for e in retried.history] == [("retried", "user_interop_admin")]
    assert "trigger.dev answered 500" in retried.history[0].detail
    assert "provider fixed" in retried.history[0].detail

    # Over REST the history is there too (the worker may have run the job again meanwhile).
    status, answer = rest(server, "GET", f"/api/v1/ops/jobs?kind={kind}", ADMIN_TOKEN)
    assert status == 200
    assert answer["jobs"][0]["history"][0]["kind"] == "retried"


@pytest.mark.parametrize("state", ["pending", "done"])
def test_a_pending_or_done_job_is_not_retried(server, state):
    job_id = psql(os.environ["INTEROP_DATABASE_URL"],
                  f"INSERT INTO calls.jobs (kind, state, run_at, finished_at) VALUES ('interop.ops.{state}', '{state}', "
                  f"now() + interval '1 day', CASE WHEN '{state}' = 'done' THEN now() END) RETURNING id").splitlines()[0]
    status, answer = rest(server, "POST", f"/api/v1/ops/jobs/{job_id}/retry", ADMIN_TOKEN, {"reason": "try"})
    assert status == 400 and answer["code"] == grpc.StatusCode.FAILED_PRECONDITION.value[0], answer


def test_retrying_an_unknown_or_malformed_job_id(ops):
    with pytest.raises(grpc.RpcError) as unknown:
        ops.RetryJob(pb.RetryJobRequest(id="987654321"), timeout=TIMEOUT)
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    for bad in ("", "abc", "-1", "9" * 40):
        with pytest.raises(grpc.RpcError) as error:
            ops.RetryJob(pb.RetryJobRequest(id=bad), timeout=TIMEOUT)
        assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT, bad


def test_jobs_are_paged_newest_first(ops):
    kind = f"interop.page.{uuid.uuid4().hex[:8]}"
    for _ in range(5):
        psql(os.environ["INTEROP_DATABASE_URL"],
             f"INSERT INTO calls.jobs (kind, state, attempts, finished_at) VALUES ('{kind}', 'dead', 1, now())")
    seen, token = [], ""
    while True:
        page = ops.ListJobs(pb.ListJobsRequest(kind=kind, page_size=2, page_token=token), timeout=TIMEOUT)
        assert len(page.jobs) <= 2
        seen += [int(job.id) for job in page.jobs]
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)
    with pytest.raises(grpc.RpcError) as error:
        ops.ListJobs(pb.ListJobsRequest(page_token="not-ours"), timeout=TIMEOUT)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_webhook_with_a_bad_signature_is_listed_with_its_outcome_and_reason(ops, server):
    body = ('{"event": "invitee.created", "nonce": "%s"}' % uuid.uuid4().hex).encode()
    status, _ = rest(server, "POST", "/webhooks/calendly", body=body,
                     headers={"Calendly-Webhook-Signature": "t=1,v1=00"})
    assert status == 401
    digest = hashlib.sha256(body).hexdigest()
    listed = ops.ListWebhookDeliveries(pb.ListWebhookDeliveriesRequest(
        provider="calendly", outcome=pb.WEBHOOK_OUTCOME_REJECTED), timeout=TIMEOUT)
    mine = [d for d in listed.deliveries if d.body_sha256 == digest]
    assert len(mine) == 1, listed
    delivery = mine[0]
    assert (delivery.provider, delivery.body_size) == ("calendly", len(body))
    assert "signature" in delivery.reason
    assert delivery.HasField("received_at")

    status, answer = rest(server, "GET", "/api/v1/ops/webhook-deliveries?provider=calendly&outcome=WEBHOOK_OUTCOME_REJECTED",
                          ADMIN_TOKEN)
    assert status == 200
    assert any(d["bodySha256"] == digest and d["outcome"] == "WEBHOOK_OUTCOME_REJECTED" for d in answer["deliveries"])
    status, _ = rest(server, "GET", "/api/v1/ops/webhook-deliveries?provider=mailchimp", ADMIN_TOKEN)
    assert status == 400


@pytest.mark.parametrize("token", [EXPERT_TOKEN, CUSTOMER_TOKEN], ids=["expert", "customer"])
def test_experts_and_customers_are_refused(server, token):
    with grpc.insecure_channel(server.address) as channel:
        stub = rpc.OperationsServiceStub(with_token(channel, token))
        for call in (lambda: stub.ListJobs(pb.ListJobsRequest(), timeout=TIMEOUT),
                     lambda: stub.RetryJob(pb.RetryJobRequest(id="1"), timeout=TIMEOUT),
                     lambda: stub.ListWebhookDeliveries(pb.ListWebhookDeliveriesRequest(), timeout=TIMEOUT)):
            with pytest.raises(grpc.RpcError) as error:
                call()
            assert error.value.code() == grpc.StatusCode.PERMISSION_DENIED
    for method, path in (("GET", "/api/v1/ops/jobs"), ("POST", "/api/v1/ops/jobs/1/retry"),
                         ("GET", "/api/v1/ops/webhook-deliveries")):
        assert rest(server, method, path, token, {} if method == "POST" else None)[0] == 403, path
