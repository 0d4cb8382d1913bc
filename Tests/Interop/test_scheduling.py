"""Scheduling rules, holds and reassignment as clients see them, over gRPC.

Each test makes its own experts (UTC, open all week unless said otherwise) with a specialty
nobody else has. Days are a week or more ahead, so notice and horizon rules are the test's.
"""

import concurrent.futures
import datetime
import uuid

import grpc
import pytest
from google.protobuf import timestamp_pb2

from auth import DEV_KEY, with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

TIMEOUT = 10
UTC = datetime.timezone.utc


@pytest.fixture
def admin(server):
    with grpc.insecure_channel(server.address) as channel:
        channel = with_token(channel)
        yield rpc.CallServiceStub(channel), rpc.ExpertServiceStub(channel)


def as_customer(server, user):
    channel = grpc.insecure_channel(server.address)
    token = DEV_KEY.token(user, "customer", f"{user}@interop.example")
    return channel, rpc.CallServiceStub(with_token(channel, token)), rpc.ExpertServiceStub(with_token(channel, token))


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def day(offset_days=10, hour=9, minute=0):
    base = datetime.datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=offset_days, hours=hour, minutes=minute)


def make_expert(experts, scheduling=None, overrides=(), specialty=None):
    expert = pb.Expert(name="Rules", email=f"{uuid.uuid4().hex}@interop.example", timezone="UTC",
                       specialties=[specialty or uuid.uuid4().hex])
    for weekday in range(1, 8):
        expert.weekly_hours.add(day=weekday, start_time="08:00", end_time="18:00")
    if scheduling is not None:
        expert.scheduling.CopyFrom(scheduling)
    expert.date_overrides.extend(overrides)
    return experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)


def book(calls, expert_id, start, minutes=30, user="user_rules", hold_id=""):
    return calls.CreateCall(pb.CreateCallRequest(
        expert_id=expert_id, hold_id=hold_id, topic="rules", customer=pb.Customer(user_id=user),
        scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=minutes))),
        timeout=TIMEOUT)


def refusal(call):
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code(), raised.value.details()


def test_rules_and_overrides_read_back_to_admins_and_not_to_customers(server, admin):
    _, experts = admin
    closed = (datetime.date.today() + datetime.timedelta(days=12)).isoformat()
    expert = make_expert(experts, pb.SchedulingRules(buffer_after_minutes=15, max_calls_per_day=2, weight=2),
                         [pb.DateOverride(date=closed)])
    assert expert.scheduling.buffer_after_minutes == 15 and expert.scheduling.weight == 2
    assert [o.date for o in expert.date_overrides] == [closed]
    channel, _, customer_experts = as_customer(server, "user_reader")
    with channel:
        seen = customer_experts.GetExpert(pb.GetExpertRequest(id=expert.id), timeout=TIMEOUT)
    assert not seen.HasField("scheduling") and [o.date for o in seen.date_overrides] == [closed]


def test_a_buffer_keeps_the_next_call_away(admin):
    calls, experts = admin
    expert = make_expert(experts, pb.SchedulingRules(buffer_after_minutes=15))
    book(calls, expert.id, day(hour=10))
    code, details = refusal(lambda: book(calls, expert.id, day(hour=10, minute=35), user="user_other"))
    assert code == grpc.StatusCode.ALREADY_EXISTS, details
    assert book(calls, expert.id, day(hour=10, minute=45), user="user_other").state == pb.CALL_STATE_SCHEDULED


def test_minimum_notice_and_a_closed_date_name_their_rule(admin):
    calls, experts = admin
    closed_day = day(offset_days=9)
    expert = make_expert(experts, pb.SchedulingRules(minimum_notice_minutes=30 * 24 * 60),
                         [pb.DateOverride(date=closed_day.date().isoformat())])
    code, details = refusal(lambda: book(calls, expert.id, day(offset_days=9, hour=11)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION, details
    other = make_expert(experts, overrides=[pb.DateOverride(date=closed_day.date().isoformat())])
    code, details = refusal(lambda: book(calls, other.id, day(offset_days=9, hour=11)))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "date override" in details, details


def test_sixteen_concurrent_bookings_at_a_daily_cap_of_three_book_three(admin):
    calls, experts = admin
    expert = make_expert(experts, pb.SchedulingRules(max_calls_per_day=3))

    def attempt(index):
        try:
            book(calls, expert.id, day(offset_days=11, hour=8, minute=30 * index), user=f"user_cap_{index}")
            return "OK"
        except grpc.RpcError as error:
            return error.code().name

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        outcomes = list(pool.map(attempt, range(16)))
    assert outcomes.count("OK") == 3, outcomes
    assert set(outcomes) <= {"OK", "FAILED_PRECONDITION"}, outcomes


def test_a_held_slot_is_the_holders_to_book_and_nobody_elses(server, admin):
    _, experts = admin
    expert = make_expert(experts)
    start = day(offset_days=13, hour=14)
    holder_channel, holder_calls, holder_experts = as_customer(server, "user_holder")
    other_channel, other_calls, other_experts = as_customer(server, "user_late")
    with holder_channel, other_channel:
        hold = holder_experts.HoldSlot(pb.HoldSlotRequest(
            expert_id=expert.id, start=timestamp(start), end=timestamp(start + datetime.timedelta(minutes=30))),
            timeout=TIMEOUT)
        assert hold.customer_user_id == "user_holder" and hold.HasField("expires_at")
        code, _ = refusal(lambda: book(other_calls, expert.id, start, user="user_late"))
        assert code in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.ALREADY_EXISTS)
        window = pb.ListExpertsRequest(specialty=expert.specialties[0], available_from=timestamp(start),
                                       available_to=timestamp(start + datetime.timedelta(minutes=30)))
        assert not other_experts.ListExperts(window, timeout=TIMEOUT).experts[0].available_slots
        assert holder_experts.ListExperts(window, timeout=TIMEOUT).experts[0].available_slots
        call = book(holder_calls, "", start, user="user_holder", hold_id=hold.id)
        assert call.expert_id == expert.id and call.state == pb.CALL_STATE_SCHEDULED


def test_the_holder_books_their_held_slot_without_naming_the_hold(server, admin):
    _, experts = admin
    expert = make_expert(experts)
    start = day(offset_days=16, hour=15)
    channel, calls, holder_experts = as_customer(server, "user_forgetful")
    with channel:
        holder_experts.HoldSlot(pb.HoldSlotRequest(
            expert_id=expert.id, start=timestamp(start), end=timestamp(start + datetime.timedelta(minutes=30))),
            timeout=TIMEOUT)
        assert book(calls, expert.id, start, user="user_forgetful").state == pb.CALL_STATE_SCHEDULED


def test_a_released_hold_frees_the_slot(server, admin):
    _, experts = admin
    expert = make_expert(experts)
    start = day(offset_days=14, hour=9)
    holder_channel, _, holder_experts = as_customer(server, "user_releaser")
    other_channel, other_calls, _ = as_customer(server, "user_next")
    with holder_channel, other_channel:
        hold = holder_experts.HoldSlot(pb.HoldSlotRequest(
            expert_id=expert.id, start=timestamp(start), end=timestamp(start + datetime.timedelta(minutes=30))),
            timeout=TIMEOUT)
        holder_experts.ReleaseHold(pb.ReleaseHoldRequest(id=hold.id), timeout=TIMEOUT)
        assert book(other_calls, expert.id, start, user="user_next").state == pb.CALL_STATE_SCHEDULED


def test_reassigning_moves_the_call_and_keeps_the_reason(admin):
    calls, experts = admin
    specialty = uuid.uuid4().hex
    first = make_expert(experts, specialty=specialty)
    second = make_expert(experts, specialty=specialty)
    call = book(calls, first.id, day(offset_days=15, hour=12))
    moved = calls.ReassignCall(pb.ReassignCallRequest(id=call.id, reason="first is ill"), timeout=TIMEOUT)
    assert moved.expert_id != first.id
    assert moved.assignment.reason == pb.ASSIGNMENT_REASON_REASSIGNED and "first is ill" in moved.assignment.note
    named = calls.ReassignCall(pb.ReassignCallRequest(id=call.id, expert_id=first.id, reason="back"), timeout=TIMEOUT)
    assert named.expert_id == first.id
    cancelled = calls.CancelCall(pb.CancelCallRequest(id=call.id, reason="x"), timeout=TIMEOUT)
    code, _ = refusal(lambda: calls.ReassignCall(pb.ReassignCallRequest(id=cancelled.id, expert_id=second.id),
                                                 timeout=TIMEOUT))
    assert code == grpc.StatusCode.FAILED_PRECONDITION


def monday_in_weeks(weeks):
    today = datetime.datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + datetime.timedelta(days=7 * weeks - today.weekday())


@pytest.mark.parametrize(("weights", "expected", "tolerance"), [((1, 1, 1), (20, 20, 20), 2), ((2, 1, 1), (30, 15, 15), 3)],
                         ids=["equal", "weighted-2-1-1"])
def test_sixty_matched_bookings_are_shared_by_weight(admin, weights, expected, tolerance):
    calls, experts = admin
    specialty = uuid.uuid4().hex
    team = [make_expert(experts, pb.SchedulingRules(weight=weight), specialty=specialty) for weight in weights]
    monday = monday_in_weeks(4 if weights == (1, 1, 1) else 6)  # one UTC week: one ledger period
    shares = {expert.id: 0 for expert in team}
    for index in range(60):
        start = monday + datetime.timedelta(days=index // 20, hours=8, minutes=30 * (index % 20))
        call = calls.CreateCall(pb.CreateCallRequest(
            specialty=specialty, topic="fair", customer=pb.Customer(user_id=f"user_fair_{index}"),
            scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=30))),
            timeout=TIMEOUT)
        assert call.assignment.reason == pb.ASSIGNMENT_REASON_MATCHED and len(call.assignment.candidates) == 3
        shares[call.expert_id] += 1
    for expert, want in zip(team, expected):
        assert abs(shares[expert.id] - want) <= tolerance, (shares, expected)


def test_matching_considers_every_fitting_expert_not_only_the_first_page(admin):
    calls, experts = admin
    specialty = uuid.uuid4().hex
    for index in range(200):  # sorted before the free one, and never free (no hours)
        experts.CreateExpert(pb.CreateExpertRequest(expert=pb.Expert(
            name=f"A busy {index:03}", email=f"{uuid.uuid4().hex}@interop.example", timezone="UTC",
            specialties=[specialty])), timeout=TIMEOUT)
    free = make_expert(experts, specialty=specialty)  # named "Rules", after "A busy …"
    start = day(offset_days=17, hour=10)
    call = calls.CreateCall(pb.CreateCallRequest(
        specialty=specialty, topic="page two", customer=pb.Customer(user_id="user_page_two"),
        scheduled_start=timestamp(start), scheduled_end=timestamp(start + datetime.timedelta(minutes=30))),
        timeout=TIMEOUT)
    assert call.expert_id == free.id
