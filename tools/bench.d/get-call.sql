-- GetCall's read (CallRepository.find: CallRow.columns by primary key), of the call h2load reads.
SELECT c.id, c.state, c.expert_id, c.customer_user_id, c.customer_email, c.customer_name, c.customer_time_zone,
    c.topic, c.scheduled_start, c.scheduled_end, c.started_at, c.ended_at, c.customer_context::text AS customer_context,
    c.calendly_event_uri, c.calendly_invitee_uri, c.rescheduled_from_call_id, c.rescheduled_to_call_id,
    c.cancellation_reason, c.no_show_party, c.assignment::text AS assignment, c.created_at, c.updated_at,
    c.preparation_instructions,
    (SELECT x.time_zone FROM calls.experts x WHERE x.id = c.expert_id) AS expert_time_zone
FROM calls.calls c WHERE c.id = :call_id::uuid;
