"""The musicians stage: the roster, bookings, call lists, players' time per cue, and the
costs from a rate card held as data.

- ``ratecard``  the rate card (TOML, every figure with its source): ``load_ratecard``
- ``roster``    a musician as plain values: ``make_musician``, ``check_plays``
- ``costs``     what sessions cost, per session, cue and score (pure, exact): ``score_cost``
- ``calls``     a session's call list as plain values: ``call_list``
- ``service``   roster services: ``add_musician``, ``import_roster``, ``list_musicians``,
                ``remove_musician``, ``project_ratecard``, ``demo_roster``
- ``booking``   ``book_musician``, ``unbook``, ``list_bookings``, ``auto_book``
- ``timelog``   ``log_time_from_plan``, ``log_time``, ``list_time``, ``session_call_list``,
                ``project_costs``
"""
