DROP TABLE public_events;
DROP TABLE public_event_counter;
