/* Coach & Mentor web chat.
 *
 * Talks to Rasa through the socket.io channel with session persistence: the session id is
 * kept in localStorage, so a reload re-requests the same session and re-renders its history.
 * Every text from the person or the bot is put on the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var BASE = "/webhooks/socketio";
  var SESSION_KEY = "coach-mentor.session";
  var TECHNIQUES_KEY = "coach-mentor.show-techniques";
  var LABELS = { coach: "Coach", mentor: "Mentor", host: "Host" };
  var SWITCH_MESSAGES = { coach: "switch to coach mode", mentor: "switch to mentor mode" };
  var STATUS_LABELS = { active: "Active", done: "Done", dropped: "Dropped" };
  var QUIET_AFTER_REPLY_MS = 700;   // a turn's messages arrive together; then stop "typing"
  var GIVE_UP_TYPING_MS = 60000;

  var el = {
    log: document.getElementById("log"),
    empty: document.getElementById("empty-state"),
    typing: document.getElementById("typing"),
    form: document.getElementById("composer"),
    input: document.getElementById("message"),
    send: document.getElementById("send"),
    status: document.getElementById("status"),
    techniques: document.getElementById("show-techniques"),
    newChat: document.getElementById("new-chat"),
    goals: document.getElementById("goals"),
    goalsToggle: document.getElementById("goals-toggle"),
    goalsRefresh: document.getElementById("goals-refresh"),
    goalsMessage: document.getElementById("goals-message"),
    goalList: document.getElementById("goal-list"),
    switches: Array.prototype.slice.call(document.querySelectorAll(".persona-option"))
  };

  var state = {
    sessionId: null,
    confirmedOnce: false,
    focusOnConfirm: false,
    waiting: false,
    quietTimer: null,
    giveUpTimer: null,
    goalsTimer: null,
    atEnd: true,
    turnHadDataReply: false
  };

  // --- small helpers ----------------------------------------------------------------

  function storage(action, key, value) {
    try {  // private browsing may forbid storage; the chat still works for this page view
      if (action === "get") { return window.localStorage.getItem(key); }
      if (action === "set") { window.localStorage.setItem(key, value); }
      if (action === "remove") { window.localStorage.removeItem(key); }
    } catch (e) { /* ignore */ }
    return null;
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function techniqueName(technique) {
    return technique ? String(technique).replace(/_/g, " ") : "";
  }

  function setStatus(text, kind) {
    el.status.textContent = text;
    el.status.setAttribute("data-kind", kind || "");
  }

  function scrollToEnd() {
    el.log.scrollTop = el.log.scrollHeight;
    state.atEnd = true;
  }

  // Keep the latest message in view when the log shrinks (goals panel, phone keyboard).
  el.log.addEventListener("scroll", function () {
    state.atEnd = el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 40;
  });
  window.addEventListener("resize", function () { if (state.atEnd) { scrollToEnd(); } });

  function postJson(path, body) {
    return fetch(BASE + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
      credentials: "same-origin"
    });
  }

  // --- rendering messages -------------------------------------------------------------

  function hideEmptyState() {
    if (el.empty && el.empty.parentNode) { el.empty.parentNode.removeChild(el.empty); }
  }

  function clearLog() {
    while (el.log.firstChild) { el.log.removeChild(el.log.firstChild); }
    if (el.empty) { el.log.appendChild(el.empty); }
  }

  function removeQuickReplies() {
    var groups = el.log.querySelectorAll(".quick-replies");
    for (var i = 0; i < groups.length; i++) { groups[i].parentNode.removeChild(groups[i]); }
  }

  function renderUser(text) {
    hideEmptyState();
    var row = make("div", "msg user");
    row.appendChild(make("span", "visually-hidden", "You: "));
    row.appendChild(make("p", "text", text));
    el.log.appendChild(row);
    scrollToEnd();
  }

  function renderQuickReplies(row, buttons) {
    var group = make("div", "quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Suggested replies");
    buttons.forEach(function (b) {
      if (!b || typeof b.title !== "string") { return; }
      var payload = typeof b.payload === "string" && b.payload ? b.payload : b.title;
      var button = make("button", "quick-reply", b.title);
      button.type = "button";
      button.addEventListener("click", function () { send(payload, b.title); });
      group.appendChild(button);
    });
    if (group.childNodes.length) { row.appendChild(group); }
  }

  function renderBot(message, withButtons) {
    hideEmptyState();
    var metadata = (message && message.metadata) || {};
    var persona = LABELS[metadata.persona] ? metadata.persona : "host";
    var technique = techniqueName(metadata.technique);
    var row = make("div", "msg bot " + persona);
    row.setAttribute("data-persona", persona);
    if (technique) { row.setAttribute("data-technique", metadata.technique); }

    var bubble = make("div", "bubble");
    bubble.title = LABELS[persona] + (technique ? ", technique: " + technique : "");
    var who = make("span", "who", LABELS[persona]);
    bubble.appendChild(who);
    bubble.appendChild(make("span", "visually-hidden", ": "));
    bubble.appendChild(make("p", "text", message.text || ""));
    if (technique) {
      bubble.appendChild(make("p", "technique", "Technique: " + technique));
      // Trainers tap a message to see its technique (hover shows the title).
      bubble.addEventListener("click", function () { row.classList.toggle("show-technique"); });
    }
    row.appendChild(bubble);
    if (withButtons && Array.isArray(message.buttons) && message.buttons.length) {
      renderQuickReplies(row, message.buttons);
    }
    el.log.appendChild(row);
    if (persona === "coach" || persona === "mentor") { markPersona(persona); }
    scrollToEnd();
  }

  function markPersona(persona) {
    el.switches.forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-persona") === persona ? "true" : "false");
    });
  }

  // --- typing indicator ---------------------------------------------------------------

  function startWaiting() {
    state.waiting = true;
    el.typing.hidden = false;
    clearTimeout(state.quietTimer);
    clearTimeout(state.giveUpTimer);
    state.giveUpTimer = setTimeout(stopWaiting, GIVE_UP_TYPING_MS);
    scrollToEnd();
  }

  function stopWaiting() {
    var checkErasure = state.waiting && state.turnHadDataReply;
    state.waiting = false;
    state.turnHadDataReply = false;
    el.typing.hidden = true;
    clearTimeout(state.quietTimer);
    clearTimeout(state.giveUpTimer);
    if (checkErasure) { forgetErasedHistory(); }
  }

  // --- sending ------------------------------------------------------------------------

  function send(payload, shown) {
    var text = String(payload || "").trim();
    if (!text || !state.sessionId) { return false; }
    shown = shown || text;
    removeQuickReplies();
    renderUser(shown);
    state.turnHadDataReply = false;
    var data = { message: text, session_id: state.sessionId };
    // A quick reply sends its payload; the history shows the title the person clicked.
    if (shown !== text) { data.metadata = { display: shown }; }
    socket.emit("user_uttered", data);
    startWaiting();
    el.input.focus();
    return true;
  }

  function resizeInput() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight, 160) + "px";
  }

  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(el.input.value)) {
      el.input.value = "";
      resizeInput();
    }
  });

  el.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.dispatchEvent(new Event("submit"));
    }
  });
  el.input.addEventListener("input", resizeInput);

  el.switches.forEach(function (button) {
    button.addEventListener("click", function () {
      var persona = button.getAttribute("data-persona");
      if (send(SWITCH_MESSAGES[persona])) { markPersona(persona); }
    });
  });

  // --- history (after a reload or a reconnect) ----------------------------------------

  function renderHistory(messages) {
    clearLog();
    var lastUser = -1;
    messages.forEach(function (m, i) { if (m.sender === "user") { lastUser = i; } });
    messages.forEach(function (m, i) {
      if (m.sender === "user") { renderUser(m.text || ""); }
      else { renderBot(m, i > lastUser); }  // only the latest choices are still open
    });
    scrollToEnd();
  }

  function loadHistory() {
    var sessionId = state.sessionId;
    return postJson("/history", { session_id: sessionId })
      .then(function (response) { return response.ok ? response.json() : { messages: [] }; })
      .then(function (body) {
        if (sessionId === state.sessionId && Array.isArray(body.messages) && body.messages.length) {
          renderHistory(body.messages);
        }
      })
      .catch(function () { /* the live conversation still works */ });
  }

  // After "delete my data" the server has erased the conversation: the page forgets it too,
  // keeping only the bot's confirmation.
  function forgetErasedHistory() {
    var sessionId = state.sessionId;
    postJson("/history", { session_id: sessionId })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || sessionId !== state.sessionId || body.messages.length) { return; }
        var users = el.log.querySelectorAll(".msg.user");
        var last = users.length ? users[users.length - 1] : null;
        while (last && el.log.firstChild) {
          var node = el.log.firstChild;
          el.log.removeChild(node);
          if (node === last) { break; }
        }
      })
      .catch(function () { /* nothing to forget */ });
  }

  // --- goals panel --------------------------------------------------------------------

  function formatDate(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return String(iso); }
    return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
  }

  function renderGoals(goals) {
    while (el.goalList.firstChild) { el.goalList.removeChild(el.goalList.firstChild); }
    if (!goals.length) {
      el.goalsMessage.textContent = "No goals yet. Tell the coach or the mentor what you want " +
        "to achieve, and your goals will appear here.";
      el.goalsMessage.setAttribute("data-kind", "");
      return;
    }
    el.goalsMessage.textContent = goals.length === 1 ? "1 goal" : goals.length + " goals";
    el.goalsMessage.setAttribute("data-kind", "count");
    goals.forEach(function (goal) {
      var status = STATUS_LABELS[goal.status] ? goal.status : "active";
      var item = make("li", "goal " + status);
      var top = make("div", "goal-top");
      top.appendChild(make("span", "goal-number", goal.number + "."));
      top.appendChild(make("span", "goal-text", goal.text || ""));
      top.appendChild(make("span", "goal-status " + status, STATUS_LABELS[status]));
      item.appendChild(top);
      if (goal.deadline || goal.deadline_text) {
        item.appendChild(make("p", "goal-meta",
          "Deadline: " + (goal.deadline ? formatDate(goal.deadline) : goal.deadline_text)));
      }
      if (goal.last_progress) {
        item.appendChild(make("p", "goal-meta", "Latest progress: " + goal.last_progress));
      }
      el.goalList.appendChild(item);
    });
  }

  function loadGoals() {
    if (!state.sessionId) { return; }
    postJson("/goals", { session_id: state.sessionId })
      .then(function (response) {
        if (response.status === 503) { throw new Error("unavailable"); }
        if (response.status === 404) { return { goals: [] }; }  // nothing said yet
        if (!response.ok) { throw new Error("failed"); }
        return response.json();
      })
      .then(function (body) { renderGoals(Array.isArray(body.goals) ? body.goals : []); })
      .catch(function () {
        while (el.goalList.firstChild) { el.goalList.removeChild(el.goalList.firstChild); }
        el.goalsMessage.textContent = "Your goals cannot be shown right now because the goals " +
          "store is not reachable. The conversation still works; try again in a moment.";
        el.goalsMessage.setAttribute("data-kind", "error");
      });
  }

  function scheduleGoals() {
    clearTimeout(state.goalsTimer);
    state.goalsTimer = setTimeout(loadGoals, 500);
  }

  function setGoalsOpen(open) {
    el.goals.hidden = !open;
    el.goalsToggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.body.classList.toggle("goals-open", open);
    if (state.atEnd) { scrollToEnd(); }
    if (open) { loadGoals(); }
  }

  el.goalsToggle.addEventListener("click", function () { setGoalsOpen(el.goals.hidden); });
  el.goalsRefresh.addEventListener("click", loadGoals);

  // --- trainer view and new conversation ----------------------------------------------

  function applyTechniques() {
    el.log.classList.toggle("show-techniques", el.techniques.checked);
    storage("set", TECHNIQUES_KEY, el.techniques.checked ? "1" : "0");
  }

  el.techniques.checked = storage("get", TECHNIQUES_KEY) === "1";
  el.techniques.addEventListener("change", applyTechniques);
  applyTechniques();

  el.newChat.addEventListener("click", function () {
    storage("remove", SESSION_KEY);
    state.sessionId = null;
    state.focusOnConfirm = true;
    el.input.disabled = true;  // until the server confirms the new session
    el.send.disabled = true;
    stopWaiting();
    clearLog();
    markPersona(null);
    renderGoals([]);
    socket.emit("session_request", { session_id: null });
  });

  // --- the socket ---------------------------------------------------------------------

  if (typeof window.io !== "function") {
    setStatus("The chat client did not load. Ask whoever runs the bot to run make run.", "error");
    return;
  }

  var socket = window.io({ path: "/socket.io" });

  socket.on("connect", function () {
    setStatus("Online", "ok");
    socket.emit("session_request", { session_id: state.sessionId || storage("get", SESSION_KEY) });
  });

  socket.on("session_confirm", function (sessionId) {
    if (typeof sessionId !== "string" || !sessionId) { return; }
    var focus = !state.confirmedOnce || state.focusOnConfirm;
    state.sessionId = sessionId;
    state.confirmedOnce = true;
    state.focusOnConfirm = false;
    storage("set", SESSION_KEY, sessionId);
    el.input.disabled = false;
    el.send.disabled = false;
    if (focus) { el.input.focus(); }
    if (!state.waiting) { loadHistory(); }
    loadGoals();
  });

  socket.on("bot_uttered", function (message) {
    if (!message || typeof message !== "object") { return; }
    // After "New conversation" the socket may still be in the old session's room.
    if (message.recipient_id && message.recipient_id !== state.sessionId) { return; }
    renderBot(message, true);
    if (message.metadata && message.metadata.technique === "data") { state.turnHadDataReply = true; }
    if (state.waiting) {  // keep the indicator until the turn's messages have all arrived
      clearTimeout(state.quietTimer);
      state.quietTimer = setTimeout(stopWaiting, QUIET_AFTER_REPLY_MS);
    }
    scheduleGoals();
  });

  socket.on("disconnect", function () {
    setStatus("Connection lost. Reconnecting", "error");
  });

  socket.on("connect_error", function () {
    setStatus("Cannot reach the bot. Retrying", "error");
  });

  setGoalsOpen(window.matchMedia("(min-width: 960px)").matches);
})();
