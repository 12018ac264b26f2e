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
  var PRESENTER_KEY = "coach-mentor.presenter";
  var PRACTISE_MESSAGE = "I want to practise coaching";
  var COMPARE_INTENT = "/compare_answers";
  // A practise round labels each of the participant's messages (metadata.practice_label).
  var PRACTICE_LABELS = {
    open_question: "Open question", closed_question: "Closed question",
    leading_question: "Leading question", advice: "Advice or telling", reflection: "Reflection",
    summary: "Summary", other: "Other"
  };
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
    compare: document.getElementById("compare"),
    practise: document.getElementById("practise"),
    presenter: document.getElementById("presenter-toggle"),
    download: document.getElementById("download-transcript"),
    print: document.getElementById("print-transcript"),
    demoSelect: document.getElementById("demo-select"),
    demoStart: document.getElementById("demo-start"),
    demoNext: document.getElementById("demo-next"),
    demoReset: document.getElementById("demo-reset"),
    demoStatus: document.getElementById("demo-status"),
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
    turnHadDataReply: false,
    turnFirst: null,      // the first reply of the current turn (presenter mode scrolls to it)
    turnCompare: null,    // the comparison shown in the current turn (scrolled into view)
    compare: null,        // the comparison being filled: {node, coach, mentor, debrief, entry}
    transcript: [],       // what the page shows, for "Download transcript"
    demos: [],
    demo: null,           // the demo being run: {script, next}
    afterSession: null    // called once the server confirms a new session
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

  function presenting() { return document.body.classList.contains("presenter"); }

  function scrollToEnd() {
    // Presenter mode shows each reply from its start; a comparison is shown whole.
    var start = presenting() ? state.turnFirst : state.turnCompare;
    if (start && start.parentNode) {
      scrollToStart(start);
      return;
    }
    el.log.scrollTop = el.log.scrollHeight;
    state.atEnd = true;
  }

  // A reply (or a whole comparison) from its first line: the room reads from the top.
  function scrollToStart(node) {
    var top = node.getBoundingClientRect().top - el.log.getBoundingClientRect().top;
    el.log.scrollTop = Math.max(0, el.log.scrollTop + top - 12);
    state.atEnd = el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 40;
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
    state.transcript = [];
    state.compare = null;
    state.turnFirst = null;
    state.turnCompare = null;
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
    state.transcript.push({ who: "you", text: text, row: row });
    state.compare = null;
    state.turnFirst = null;
    state.turnCompare = null;
    scrollToEnd();
  }

  // The practise round's label for the participant's message arrives on the bot's reply:
  // it goes under the participant's own latest message.
  function labelLastUserMessage(label) {
    var title = PRACTICE_LABELS[label];
    if (!title) { return; }
    for (var i = state.transcript.length - 1; i >= 0; i--) {
      var entry = state.transcript[i];
      if (entry.who !== "you") { continue; }
      if (!entry.practiceLabel) {
        entry.practiceLabel = label;
        var tag = make("p", "practice-label", title);
        tag.setAttribute("data-label", label);
        entry.row.appendChild(tag);
      }
      return;
    }
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

  function techniqueLine(technique) {
    return make("p", "technique", "Technique: " + techniqueName(technique));
  }

  // A message in two halves (a reflection, then a question) names both techniques.
  function messageParts(message, metadata) {
    var parts = Array.isArray(metadata.parts) ? metadata.parts : [];
    parts = parts.filter(function (p) { return p && typeof p.text === "string" && p.text && p.technique; });
    return parts.length > 1 ? parts : null;
  }

  function renderBot(message, withButtons) {
    hideEmptyState();
    var metadata = (message && message.metadata) || {};
    var persona = LABELS[metadata.persona] ? metadata.persona : "host";
    // The host is the neutral voice: its messages use no coaching or mentoring technique.
    var technique = persona === "host" ? "" : techniqueName(metadata.technique);
    var parts = persona === "host" ? null : messageParts(message, metadata);
    var row = make("div", "msg bot " + persona);
    row.setAttribute("data-persona", persona);
    if (technique) { row.setAttribute("data-technique", metadata.technique); }

    var bubble = make("div", "bubble");
    var names = parts ? parts.map(function (p) { return techniqueName(p.technique); }) : [technique];
    bubble.title = LABELS[persona] + (technique ? ", technique: " + names.join(" + ") : "");
    var who = make("span", "who", LABELS[persona]);
    bubble.appendChild(who);
    bubble.appendChild(make("span", "visually-hidden", ": "));
    if (parts) {
      // One paragraph, each half labelled with its own technique (shown with the techniques).
      var paragraph = make("p", "text");
      parts.forEach(function (part, i) {
        if (i) { paragraph.appendChild(document.createTextNode(" ")); }
        var half = make("span", "part", part.text);
        half.setAttribute("data-technique", part.technique);
        half.setAttribute("data-label", techniqueName(part.technique));
        paragraph.appendChild(half);
      });
      bubble.appendChild(paragraph);
      bubble.appendChild(make("p", "technique", "Techniques: " + names.join(", then ")));
    } else {
      bubble.appendChild(make("p", "text", message.text || ""));
      if (technique) { bubble.appendChild(techniqueLine(metadata.technique)); }
    }
    if (technique) {
      // Trainers tap a message to see its technique (hover shows the title).
      bubble.addEventListener("click", function () { row.classList.toggle("show-technique"); });
    }
    row.appendChild(bubble);
    if (withButtons && Array.isArray(message.buttons) && message.buttons.length) {
      renderQuickReplies(row, message.buttons);
    }
    var entry = { who: persona, text: message.text || "", row: row,
                  technique: technique ? metadata.technique : "",
                  parts: parts, compare: metadata.compare || "" };
    if (metadata.practice_label) { labelLastUserMessage(metadata.practice_label); }
    if (metadata.compare && placeInComparison(row, entry, metadata.compare)) {
      // Part of a comparison: shown side by side; the active persona does not change.
    } else {
      el.log.appendChild(row);
      state.transcript.push(entry);
      if (persona === "coach" || persona === "mentor") { markPersona(persona); }
    }
    if (!state.turnFirst) { state.turnFirst = state.compare ? state.compare.node : row; }
    scrollToEnd();
  }

  // --- the comparison view: Coach | Mentor in two columns, the debrief underneath --------

  function startComparison() {
    var node = make("section", "comparison");
    node.setAttribute("aria-label", "Coach and mentor side by side");
    var intro = make("div", "compare-intro");
    var columns = make("div", "compare-columns");
    var coachCol = make("div", "compare-column coach");
    var mentorCol = make("div", "compare-column mentor");
    coachCol.appendChild(make("h3", "compare-head coach", "Coach"));
    mentorCol.appendChild(make("h3", "compare-head mentor", "Mentor"));
    columns.appendChild(coachCol);
    columns.appendChild(mentorCol);
    var debrief = make("div", "compare-debrief");
    node.appendChild(intro);
    node.appendChild(columns);
    node.appendChild(debrief);
    el.log.appendChild(node);
    var entry = { who: "comparison", intro: "", coach: [], mentor: [], debrief: "" };
    state.transcript.push(entry);
    state.compare = { node: node, intro: intro, coach: coachCol, mentor: mentorCol,
                      debrief: debrief, entry: entry };
    state.turnCompare = node;
    return state.compare;
  }

  function placeInComparison(row, entry, part) {
    var view = state.compare;
    if (part === "intro" || !view) { view = startComparison(); }
    if (part === "intro") {
      view.intro.appendChild(row);
      view.entry.intro = entry.text;
    } else if (part === "coach" || part === "mentor") {
      view[part].appendChild(row);
      view.entry[part].push(entry);
    } else if (part === "debrief") {
      view.debrief.appendChild(row);
      view.entry.debrief = entry.text;
    } else {
      return false;
    }
    return true;
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
    var metadata = {};
    // A quick reply sends its payload; the history shows the title the person clicked.
    if (shown !== text) { metadata.display = shown; }
    // In a demo every message carries its seed, so the bot words it the same every run.
    if (state.demo) { metadata.demo_seed = state.demo.script.seed; }
    if (Object.keys(metadata).length) { data.metadata = metadata; }
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
    var line = pendingDemoLine();
    var sent = line && el.input.value.trim() === line.display ? sendDemoLine()
      : send(el.input.value);
    if (sent) {
      el.input.value = "";
      resizeInput();
      if (state.demo) { prefillDemoLine(); }
    }
  });

  // Compare: the situation in the box (or, with an empty box, the last message) answered
  // by the coach and by the mentor, side by side.
  function compareMessage(situation) {
    situation = String(situation || "").trim();
    return situation ? COMPARE_INTENT + JSON.stringify({ situation: situation }) : COMPARE_INTENT;
  }

  el.compare.addEventListener("click", function () {
    var situation = el.input.value.trim();
    if (send(compareMessage(situation), situation ? "Compare: " + situation : "Compare")) {
      el.input.value = "";
      resizeInput();
    }
  });

  el.practise.addEventListener("click", function () { send(PRACTISE_MESSAGE); });

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
    state.turnFirst = null;  // a reload shows the latest messages
    state.turnCompare = null;
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
    stopDemo();
    newConversation();
  });

  function newConversation(then) {
    state.afterSession = then || null;
    storage("remove", SESSION_KEY);
    state.sessionId = null;
    state.focusOnConfirm = true;
    el.input.disabled = true;  // until the server confirms the new session
    el.send.disabled = true;
    el.compare.disabled = true;
    stopWaiting();
    clearLog();
    markPersona(null);
    renderGoals([]);
    socket.emit("session_request", { session_id: null });
  }

  // --- presenter mode: large type, strong colours, full width, no goals panel ------------

  function setPresenter(on) {
    document.body.classList.toggle("presenter", on);
    el.presenter.checked = on;
    storage("set", PRESENTER_KEY, on ? "1" : "0");
    var url = new URL(window.location.href);
    if (on) { url.searchParams.set("presenter", "1"); } else { url.searchParams.delete("presenter"); }
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    if (on) { setGoalsOpen(false); }
    scrollToEnd();
  }

  el.presenter.addEventListener("change", function () { setPresenter(el.presenter.checked); });

  // --- transcript: Markdown download and print ---------------------------------------

  function mdText(text) {
    return String(text || "").replace(/\r/g, "").split("\n").map(function (line) {
      return line.replace(/^(\s*)([#>*+-]|\d+\.)(\s)/, "$1\\$2$3");
    }).join("  \n");
  }

  function mdCell(text) {
    return String(text || "").replace(/\|/g, "\\|").replace(/\r?\n/g, "<br>");
  }

  function spoken(entry) {
    if (entry.parts) {
      return entry.parts.map(function (p) {
        return p.text + " _(" + techniqueName(p.technique) + ")_";
      }).join(" ");
    }
    return entry.text;
  }

  function techniquesOf(entry) {
    if (entry.parts) {
      return entry.parts.map(function (p) { return techniqueName(p.technique); }).join(" + ");
    }
    return techniqueName(entry.technique);
  }

  function labelFor(entry) {
    var name = LABELS[entry.who] || "Host";
    var used = techniquesOf(entry);
    return used ? name + " (" + used + ")" : name;
  }

  function cellFor(entry) {
    if (!entry) { return ""; }
    var used = techniquesOf(entry);
    return mdCell(spoken(entry)) + (used && !entry.parts ? " _(" + used + ")_" : "");
  }

  function transcriptMarkdown(now) {
    var day = now.toISOString().slice(0, 10);
    var lines = ["# Coach & Mentor: conversation transcript", "",
                 "Date: " + now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) +
                 " (" + day + ")", ""];
    state.transcript.forEach(function (entry) {
      if (entry.who === "you") {
        var label = PRACTICE_LABELS[entry.practiceLabel];
        lines.push("**You" + (label ? " (" + label.toLowerCase() + ")" : "") + ":** " + mdText(entry.text), "");
      } else if (entry.who === "comparison") {
        lines.push("## Side by side: coach and mentor", "");
        if (entry.intro) { lines.push(mdText(entry.intro), ""); }
        lines.push("| Coach | Mentor |", "| --- | --- |");
        var rows = Math.max(entry.coach.length, entry.mentor.length);
        for (var i = 0; i < rows; i++) {
          var c = entry.coach[i], m = entry.mentor[i];
          lines.push("| " + cellFor(c) + " | " + cellFor(m) + " |");
        }
        lines.push("");
        if (entry.debrief) { lines.push("**Debrief:** " + mdText(entry.debrief), ""); }
      } else {
        lines.push("**" + labelFor(entry) + ":** " + mdText(entry.parts ? spoken(entry) : entry.text), "");
      }
    });
    return lines.join("\n");
  }

  el.download.addEventListener("click", function () {
    var now = new Date();
    var blob = new Blob([transcriptMarkdown(now)], { type: "text/markdown;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "coach-mentor-transcript-" + now.toISOString().slice(0, 10) + ".md";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  });

  el.print.addEventListener("click", function () { window.print(); });

  // --- demos: scripted lines a trainer steps through (data/demos/) ----------------------

  function loadDemos() {
    fetch(BASE + "/demos", { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { demos: [] }; })
      .then(function (body) {
        state.demos = Array.isArray(body.demos) ? body.demos : [];
        state.demos.forEach(function (demo) {
          var option = make("option", "", demo.title);
          option.value = demo.id;
          option.title = demo.note || "";
          el.demoSelect.appendChild(option);
        });
      })
      .catch(function () { /* the chat works without demos */ });
  }

  function pendingDemoLine() {
    return state.demo && state.demo.next < state.demo.script.lines.length
      ? state.demo.script.lines[state.demo.next] : null;
  }

  function showDemoStatus() {
    if (!state.demo) { el.demoStatus.textContent = ""; return; }
    var total = state.demo.script.lines.length;
    el.demoStatus.textContent = state.demo.next < total
      ? "Line " + (state.demo.next + 1) + " of " + total + " (N next, R reset)"
      : "Demo done (R runs it again)";
  }

  function prefillDemoLine() {
    var line = pendingDemoLine();
    el.input.value = line ? line.display : "";
    resizeInput();
    showDemoStatus();
  }

  function sendDemoLine() {
    var line = pendingDemoLine();
    if (!line || state.waiting) { return false; }
    if (!send(line.text, line.display)) { return false; }
    state.demo.next += 1;
    el.log.focus();  // so the next key press (N) advances instead of typing into the box
    return true;
  }

  function advanceDemo() {
    if (sendDemoLine()) { prefillDemoLine(); }
  }

  function startDemo(script) {
    state.demo = { script: script, next: 0 };
    el.demoNext.hidden = false;
    el.demoReset.hidden = false;
    newConversation(prefillDemoLine);
    showDemoStatus();
  }

  function stopDemo() {
    state.demo = null;
    el.demoNext.hidden = true;
    el.demoReset.hidden = true;
    showDemoStatus();
  }

  el.demoSelect.addEventListener("change", function () {
    el.demoStart.disabled = !el.demoSelect.value;
  });
  el.demoStart.addEventListener("click", function () {
    var script = state.demos.filter(function (d) { return d.id === el.demoSelect.value; })[0];
    if (script) { startDemo(script); }
  });
  el.demoNext.addEventListener("click", advanceDemo);
  el.demoReset.addEventListener("click", function () { if (state.demo) { startDemo(state.demo.script); } });

  // Keys for a trainer at the front of the room: N, Page Down or the right arrow send the
  // next scripted line; R starts the demo again for the next group. Not while typing.
  document.addEventListener("keydown", function (event) {
    if (!state.demo || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" ||
                            target.tagName === "SELECT");
    var key = event.key;
    if (key === "PageDown" || (!typing && (key === "n" || key === "N" || key === "ArrowRight"))) {
      event.preventDefault();
      advanceDemo();
    } else if (!typing && (key === "r" || key === "R")) {
      event.preventDefault();
      startDemo(state.demo.script);
    }
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
    el.compare.disabled = false;
    if (focus) { el.input.focus(); }
    if (!state.waiting) { loadHistory(); }
    loadGoals();
    if (state.afterSession) {
      var then = state.afterSession;
      state.afterSession = null;
      then();
    }
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

  var presenterAsked = new URLSearchParams(window.location.search).get("presenter");
  var presenterOn = presenterAsked !== null ? presenterAsked === "1" : storage("get", PRESENTER_KEY) === "1";
  setGoalsOpen(!presenterOn && window.matchMedia("(min-width: 960px)").matches);
  if (presenterOn) { setPresenter(true); }
  loadDemos();
})();
