"""The HTTP side of the Matrix simulator: one handler per client-server API endpoint.

Each handler follows its section of the Matrix Client-Server spec (paths, parameters, JSON
answers, error codes); see ``cmdesk.connectors.simulators.matrix`` for the list. Handlers run
under the simulator's lock, with path parameters URL-decoded and the caller's session.
"""

from __future__ import annotations

import json
import math
from urllib.parse import unquote

from cmdesk.connectors.simulators.matrix_model import (
    ROOM,
    SPEC_VERSIONS,
    V3,
    Session,
    SimRoom,
    error_response,
    forbidden,
    matches,
    position,
)
from cmdesk.connectors.simulators.server import Request, Response


class MatrixRoutes:
    """Route handlers of ``MatrixSimulator`` (which holds the data they read and change)."""

    def check_token(self, token: str | None) -> bool:
        return token in self._sessions

    def unauthorized(self, request: Request) -> Response:
        token = request.bearer()
        if not token:
            return error_response(401, "M_MISSING_TOKEN", "Missing access token.")
        return error_response(
            401, "M_UNKNOWN_TOKEN", "Invalid access token passed.", soft_logout=token in self._soft_logged_out
        )

    def not_found(self, request: Request) -> Response:
        return error_response(404, "M_UNRECOGNIZED", "Unrecognized request")

    def rate_limited(self, request: Request) -> Response:
        wait = self.faults.retry_after
        return Response(
            429,
            {"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests", "retry_after_ms": int(wait * 1000)},
            {"Retry-After": str(math.ceil(wait))},
        )

    def _register_routes(self) -> None:
        add = self.add_route
        add("GET", r"/_matrix/client/versions", self._versions, auth=False)
        add("GET", V3 + r"/login", self._login_flows, auth=False)
        add("POST", V3 + r"/login", self._login, auth=False)
        add("GET", V3 + r"/account/whoami", self._locked(self._whoami))
        add("POST", V3 + r"/logout", self._locked(self._logout))
        add("GET", V3 + r"/profile/(?P<user>[^/]+)/displayname", self._locked(self._displayname), auth=False)
        add("POST", V3 + r"/user/(?P<user>[^/]+)/filter", self._locked(self._create_filter))
        add("GET", V3 + r"/user/(?P<user>[^/]+)/filter/(?P<id>[^/]+)", self._locked(self._get_filter))
        add("GET", V3 + r"/sync", self._locked(self._sync))
        add("GET", V3 + r"/joined_rooms", self._locked(self._joined_rooms))
        add("GET", V3 + r"/directory/room/(?P<alias>[^/]+)", self._locked(self._alias))
        add("GET", V3 + ROOM + r"/messages", self._locked(self._messages))
        add("GET", V3 + ROOM + r"/context/(?P<event>[^/]+)", self._locked(self._context))
        add("GET", V3 + ROOM + r"/event/(?P<event>[^/]+)", self._locked(self._get_event))
        add("GET", V3 + ROOM + r"/joined_members", self._locked(self._joined_members))
        add("GET", V3 + ROOM + r"/state/(?P<type>[^/]+)/(?P<key>[^/]*)", self._locked(self._get_state))
        add("GET", V3 + ROOM + r"/state/(?P<type>[^/]+)", self._locked(self._get_state))
        add("PUT", V3 + ROOM + r"/send/(?P<type>[^/]+)/(?P<txn>[^/]+)", self._locked(self._send))
        add("PUT", V3 + ROOM + r"/redact/(?P<event>[^/]+)/(?P<txn>[^/]+)", self._locked(self._redact))
        add("POST", V3 + ROOM + r"/(?P<action>kick|ban|unban)", self._locked(self._membership_action))
        add("POST", V3 + ROOM + r"/report/(?P<event>[^/]+)", self._locked(self._report))
        add("GET", V3 + r"/user/(?P<user>[^/]+)/account_data/(?P<type>[^/]+)", self._locked(self._get_account_data))
        add("PUT", V3 + r"/user/(?P<user>[^/]+)/account_data/(?P<type>[^/]+)", self._locked(self._put_account_data))

    def _locked(self, handler):
        def run(request: Request) -> Response:
            with self._lock:
                request.params = {k: unquote(v) for k, v in request.params.items()}
                return handler(request, self._sessions.get(request.bearer() or ""))

        return run

    def _room(self, request: Request, session: Session, *, joined: bool = True) -> SimRoom | Response:
        room = self._rooms.get(request.params["room"])
        membership = room.membership(session.user_id) if room else ""
        if room is None or (joined and membership != "join") or (not joined and not membership):
            return forbidden(f"User {session.user_id} not in room {request.params['room']}")
        return room

    # -- session

    def _versions(self, request: Request) -> Response:
        return Response(200, {"versions": SPEC_VERSIONS, "unstable_features": {}})

    def _login_flows(self, request: Request) -> Response:
        return Response(200, {"flows": self.login_flows})

    def _login(self, request: Request) -> Response:
        body = request.json()
        if body.get("type") not in {f.get("type") for f in self.login_flows}:
            return error_response(400, "M_UNKNOWN", "Bad login type.")
        identifier = body.get("identifier") or {}
        user = identifier.get("user") if identifier.get("type") == "m.id.user" else body.get("user")
        with self._lock:
            user_id = self._mxid(str(user or ""))
            account = self._users.get(user_id)
            if not account or account.get("password") is None or account["password"] != body.get("password"):
                return forbidden("Invalid username or password")
            if self.login_extra_stage:
                return Response(
                    401,
                    {
                        "flows": [{"stages": ["m.login.password", self.login_extra_stage]}],
                        "params": {},
                        "session": "uia-session",
                        "completed": [],
                    },
                )
            token = self.login_as(user_id)
            session = self._sessions[token]
        return Response(200, {"user_id": user_id, "access_token": token, "device_id": session.device_id})

    def _whoami(self, request: Request, session: Session) -> Response:
        return Response(200, {"user_id": session.user_id, "device_id": session.device_id, "is_guest": False})

    def _logout(self, request: Request, session: Session) -> Response:
        """Client-Server spec, "Logout": the access token and its device are invalidated."""
        self._sessions.pop(session.token, None)
        return Response(200, {})

    def _displayname(self, request: Request, session: Session | None) -> Response:
        account = self._users.get(request.params["user"])
        if not account:
            return error_response(404, "M_NOT_FOUND", "Profile was not found")
        return Response(200, {"displayname": account["displayname"]})

    def _create_filter(self, request: Request, session: Session) -> Response:
        if request.params["user"] != session.user_id:
            return forbidden("Can only create filters for local users")
        definition = request.json()
        if not isinstance(definition, dict):
            return error_response(400, "M_BAD_JSON", "Filter must be an object")
        filter_id = str(len(self._filters))
        self._filters[f"{session.user_id}/{filter_id}"] = definition
        return Response(200, {"filter_id": filter_id})

    def _get_filter(self, request: Request, session: Session) -> Response:
        definition = self._filters.get(f"{session.user_id}/{request.params['id']}")
        if definition is None:
            return error_response(404, "M_NOT_FOUND", "No such filter")
        return Response(200, definition)

    def _load_filter(self, session: Session, value: str | None) -> dict | None:
        if not value:
            return {}
        if value.startswith("{"):
            return json.loads(value)
        return self._filters.get(f"{session.user_id}/{value}")

    # -- sync

    def _sync(self, request: Request, session: Session) -> Response:
        definition = self._load_filter(session, request.arg("filter"))
        if definition is None:
            return error_response(404, "M_NOT_FOUND", "No such filter")
        since = position(request.arg("since"))
        full_state = request.arg("full_state") == "true"
        room_filter = definition.get("room", {})
        timeline_filter = room_filter.get("timeline", {})
        state_filter = room_filter.get("state", {})
        limit = int(timeline_filter.get("limit", 10))
        ignored = self._ignored(session.user_id)
        join, leave = {}, {}
        for room in self._rooms.values():
            if room_filter.get("rooms") is not None and room.room_id not in room_filter["rooms"]:
                continue
            membership = room.membership(session.user_id)
            if membership != "join":
                member_event = room.state.get(("m.room.member", session.user_id))
                if (
                    since is not None
                    and member_event
                    and member_event.stream > since
                    and membership in ("leave", "ban")
                ):
                    leave[room.room_id] = {"timeline": {"events": [], "limited": False}, "state": {"events": []}}
                continue
            new = [
                e
                for e in room.events
                if (since is None or e.stream > since)
                and matches(e.data, timeline_filter)
                and self._visible(e, ignored)
            ]
            if since is not None and not new and not full_state:
                continue
            shown = new[-limit:] if limit > 0 else []
            first = shown[0].stream if shown else self._stream + 1
            if since is None or full_state:
                state = [
                    e
                    for (t, _), e in room.state.items()
                    if t != "m.room.member" and matches(e.data, state_filter) and e.stream < first
                ]
            else:  # the state that changed in the gap before the timeline
                state = [
                    e
                    for (t, _), e in room.state.items()
                    if t != "m.room.member" and since < e.stream < first and matches(e.data, state_filter)
                ]
            entry = {
                "timeline": {
                    "events": [self._client_event(e, session, with_room=False) for e in shown],
                    "limited": len(new) > len(shown),
                    "prev_batch": f"t{first - 1}",
                },
                "state": {
                    "events": [self._client_event(e, session, with_room=False) for e in state]
                    + self._lazy_members(room, shown, session)
                },
                "ephemeral": {"events": []},
                "account_data": {"events": []},
                "unread_notifications": {"highlight_count": 0, "notification_count": 0},
            }
            if since is None or any(e.data["type"] == "m.room.member" for e in shown):
                entry["summary"] = self._summary(room, session.user_id)
            join[room.room_id] = entry
        account_filter = definition.get("account_data", {})
        account_data = [
            {"type": kind, "content": content}
            for kind, (stream, content) in self._account_data.get(session.user_id, {}).items()
            if (since is None or stream > since) and matches({"type": kind}, account_filter)
        ]
        return Response(
            200,
            {
                "next_batch": f"s{self._stream}",
                "rooms": {"join": join, "invite": {}, "leave": leave},
                "account_data": {"events": account_data},
                "presence": {"events": []},
            },
        )

    def _joined_rooms(self, request: Request, session: Session) -> Response:
        rooms = [r.room_id for r in self._rooms.values() if r.membership(session.user_id) == "join"]
        return Response(200, {"joined_rooms": rooms})

    def _alias(self, request: Request, session: Session) -> Response:
        room_id = self._aliases.get(request.params["alias"])
        if not room_id:
            return error_response(404, "M_NOT_FOUND", f"Room alias {request.params['alias']} not found")
        return Response(200, {"room_id": room_id, "servers": [self.server_name]})

    # -- reading a room

    def _messages(self, request: Request, session: Session) -> Response:
        room = self._room(request, session, joined=False)
        if isinstance(room, Response):
            return room
        event_filter = json.loads(request.arg("filter") or "{}")
        direction = request.arg("dir", "b")
        limit = int(request.arg("limit", "10"))
        start = position(request.arg("from"))
        stop = position(request.arg("to"))
        ignored = self._ignored(session.user_id)
        if direction == "b":
            start = self._stream if start is None else start
            found = [e for e in reversed(room.events) if e.stream <= start and (stop is None or e.stream > stop)]
        else:
            start = 0 if start is None else start
            found = [e for e in room.events if e.stream > start and (stop is None or e.stream <= stop)]
        found = [e for e in found if matches(e.data, event_filter) and self._visible(e, ignored)]
        chunk = found[:limit]
        answer: dict = {"start": f"t{start}", "chunk": [self._client_event(e, session) for e in chunk]}
        if len(found) > len(chunk):
            answer["end"] = f"t{chunk[-1].stream - 1}" if direction == "b" else f"t{chunk[-1].stream}"
        if event_filter.get("lazy_load_members"):
            answer["state"] = self._lazy_members(room, chunk, session)
        return Response(200, answer)

    def _context(self, request: Request, session: Session) -> Response:
        room = self._room(request, session, joined=False)
        if isinstance(room, Response):
            return room
        found = self._events.get(request.params["event"])
        if not found or found[0] is not room:
            return error_response(404, "M_NOT_FOUND", "Event not found.")
        event_filter = json.loads(request.arg("filter") or "{}")
        half = int(request.arg("limit", "10")) // 2
        ignored = self._ignored(session.user_id)
        wanted = [e for e in room.events if matches(e.data, event_filter) and self._visible(e, ignored)]
        before = [e for e in wanted if e.stream < found[1].stream][-half:] if half else []
        after = [e for e in wanted if e.stream > found[1].stream][:half]
        return Response(
            200,
            {
                "event": self._client_event(found[1], session),
                "events_before": [self._client_event(e, session) for e in reversed(before)],
                "events_after": [self._client_event(e, session) for e in after],
                "start": f"t{(before[0].stream if before else found[1].stream) - 1}",
                "end": f"t{after[-1].stream if after else found[1].stream}",
                "state": self._lazy_members(room, [*before, found[1], *after], session),
            },
        )

    def _get_event(self, request: Request, session: Session) -> Response:
        room = self._room(request, session, joined=False)
        if isinstance(room, Response):
            return room
        found = self._events.get(request.params["event"])
        if not found or found[0] is not room:
            return error_response(404, "M_NOT_FOUND", "Event not found.")
        return Response(200, self._client_event(found[1], session))

    def _joined_members(self, request: Request, session: Session) -> Response:
        room = self._room(request, session)
        if isinstance(room, Response):
            return room
        joined = {
            u: {"display_name": room.content("m.room.member", u).get("displayname"), "avatar_url": None}
            for u in room.members()
        }
        return Response(200, {"joined": joined})

    def _get_state(self, request: Request, session: Session) -> Response:
        room = self._room(request, session, joined=False)
        if isinstance(room, Response):
            return room
        stored = room.state.get((request.params["type"], request.params.get("key", "")))
        if stored is None:
            return error_response(404, "M_NOT_FOUND", "Event not found.")
        if request.arg("format") == "event":
            return Response(200, self._client_event(stored, session))
        return Response(200, stored.data["content"])

    # -- writing

    def _send(self, request: Request, session: Session) -> Response:
        room = self._room(request, session)
        if isinstance(room, Response):
            return room
        key = (session.device_id, "send", request.params["txn"])
        if key in self._txns:  # the same transaction again: the same event, nothing new (spec: txnId)
            return Response(200, {"event_id": self._txns[key]})
        kind = request.params["type"]
        need = room.send_level(kind, state=False)
        if room.level(session.user_id) < need:
            return forbidden(
                f"You don't have permission to post that to the room. "
                f"user_level ({room.level(session.user_id)}) < send_level ({need})"
            )
        content = request.json()
        if not isinstance(content, dict):
            return error_response(400, "M_BAD_JSON", "Content must be a JSON object")
        stored = self._append(room, session.user_id, kind, content, device=session.device_id, txn=request.params["txn"])
        event_id = stored.data["event_id"]
        self._txns[key] = event_id
        if session.user_id == self.owner_handle and kind == "m.room.message":
            relation = content.get("m.relates_to") or {}
            parent = (relation.get("m.in_reply_to") or {}).get("event_id", "")
            self._replies.append({"id": event_id, "in_reply_to": parent, "text": content.get("body", "")})
        return Response(200, {"event_id": event_id})

    def _redact(self, request: Request, session: Session) -> Response:
        room = self._room(request, session)
        if isinstance(room, Response):
            return room
        key = (session.device_id, "redact", request.params["txn"])
        if key in self._txns:
            return Response(200, {"event_id": self._txns[key]})
        found = self._events.get(request.params["event"])
        if not found or found[0] is not room:
            return error_response(404, "M_NOT_FOUND", "Event not found.")
        target = found[1]
        mine = room.level(session.user_id)
        need = max(room.needed("redact"), room.send_level("m.room.redaction", state=False))
        if target.data["sender"] != session.user_id and mine < need:
            return forbidden("You don't have permission to redact events")
        reason = request.json().get("reason")
        content = {"redacts": target.data["event_id"], **({"reason": reason} if reason else {})}
        redaction = self._append(
            room,
            session.user_id,
            "m.room.redaction",
            content,
            extra={"redacts": target.data["event_id"]},
            device=session.device_id,
            txn=request.params["txn"],
        )
        target.data["content"] = {}
        target.data.setdefault("unsigned", {})["redacted_because"] = json.loads(json.dumps(redaction.data))
        self._txns[key] = redaction.data["event_id"]
        self._moderation.append(("redact", target.data["event_id"]))
        return Response(200, {"event_id": redaction.data["event_id"]})

    def _membership_action(self, request: Request, session: Session) -> Response:
        room = self._room(request, session)
        if isinstance(room, Response):
            return room
        action, body = request.params["action"], request.json()
        target = body.get("user_id")
        if not isinstance(target, str) or not target.startswith("@"):
            return error_response(400, "M_MISSING_PARAM", "Missing user_id")
        mine, theirs = room.level(session.user_id), room.level(target)
        current = room.membership(target)
        need = room.needed("ban") if action in ("ban", "unban") else room.needed("kick")
        if action == "unban":
            need = max(need, room.needed("kick"))
        if mine < need or (action != "unban" and theirs >= mine):
            return forbidden(f"You don't have permission to {action} this user")
        if action == "kick" and current not in ("join", "invite"):
            return forbidden("The target user is not in the room")
        if action == "unban" and current != "ban":
            return forbidden("The target user is not banned")
        membership = {"kick": "leave", "ban": "ban", "unban": "leave"}[action]
        content = self._member_content(target, membership, body.get("reason") or "")
        self._append(room, session.user_id, "m.room.member", content, state_key=target)
        self._moderation.append((action, target))
        return Response(200, {})

    def _report(self, request: Request, session: Session) -> Response:
        room = self._room(request, session)
        if isinstance(room, Response):
            return room
        found = self._events.get(request.params["event"])
        if not found or found[0] is not room:
            return error_response(404, "M_NOT_FOUND", "The event was not found or you are not joined to the room.")
        body = request.json()
        score = body.get("score")
        if score is not None and (not isinstance(score, int) or not -100 <= score <= 0):
            return error_response(400, "M_INVALID_PARAM", "score must be an integer between -100 and 0")
        self._reports.append(
            {
                "room": room.room_id,
                "event": request.params["event"],
                "reason": body.get("reason"),
                "score": score,
                "reporter": session.user_id,
            }
        )
        self._moderation.append(("report", request.params["event"]))
        return Response(200, {})

    def _get_account_data(self, request: Request, session: Session) -> Response:
        if request.params["user"] != session.user_id:
            return forbidden("Cannot get account data for other users.")
        entry = self._account_data.get(session.user_id, {}).get(request.params["type"])
        if entry is None:
            return error_response(404, "M_NOT_FOUND", "Account data not found")
        return Response(200, entry[1])

    def _put_account_data(self, request: Request, session: Session) -> Response:
        if request.params["user"] != session.user_id:
            return forbidden("Cannot add account data for other users.")
        content = request.json()
        if not isinstance(content, dict):
            return error_response(400, "M_BAD_JSON", "Content must be a JSON object")
        if request.params["type"] == "m.ignored_user_list":
            before = self._ignored(session.user_id)
            self._moderation.extend(("ignore", u) for u in content.get("ignored_users", {}) if u not in before)
        self.set_account_data(session.user_id, request.params["type"], content)
        return Response(200, {})
