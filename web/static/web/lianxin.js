/* Small helpers of the Lianxin pages; every page also works without them. */
(function () {
  "use strict";

  // A form refused with 400 comes back with its errors marked: show it (htmx leaves 4xx answers out by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Navigation menus (<details>): one open at a time, closed by a click elsewhere or Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("nav details.nav-group[open]").forEach(function (group) {
      if (!group.contains(event.target)) { group.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("nav details.nav-group[open]").forEach(function (group) {
      group.removeAttribute("open");
      group.querySelector("summary").focus();
    });
  });

  // Dashboard: show only the period fields that the chosen kind of period uses.
  function syncPeriodFields(form) {
    var kind = form.querySelector("[name=period]");
    if (!kind) { return; }
    var used = { month: ["year", "month"], quarter: ["year", "quarter"], year: ["year"], custom: ["start", "end"] };
    var wanted = used[kind.value || "month"] || [];
    ["year", "month", "quarter", "start", "end"].forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (input && input.parentElement) {
        input.parentElement.hidden = wanted.indexOf(name) === -1;
      }
    });
  }

  // Session form: a click on a market day fills the start (and, when empty or earlier, the end) date.
  function fillMarketDay(event) {
    var link = event.target.closest("[data-testid=market-day]");
    var start = document.getElementById("id_start_date");
    if (!link || !start) { return; }
    event.preventDefault();
    start.value = link.dataset.date;
    var end = document.getElementById("id_end_date");
    if (end && (!end.value || end.value < start.value)) { end.value = start.value; }
    start.focus();
  }

  // Forms that ask before they act (data-confirm): here rather than in an inline handler, which the
  // Content-Security-Policy forbids.
  function confirmSubmit(event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }

  document.addEventListener("submit", confirmSubmit, true);

  // Forms that take a while (data-busy, the imports): sent once; the button is disabled and says what happens.
  // (The server also stores one import per form, whatever arrives.)
  function markBusy(event) {
    var form = event.target;
    if (event.defaultPrevented || !form.dataset || !form.dataset.busy) { return; }
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.setAttribute("aria-busy", "true");
    window.setTimeout(function () {  // after the browser has taken the form's data
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.textContent = form.dataset.busy;
      });
    }, 0);
  }

  document.addEventListener("submit", markBusy);
  // Back to a page kept in the browser's cache: its form may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("form[data-busy][data-sent]")) { window.location.reload(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var dashboard = document.querySelector("[data-testid=dashboard-form]");
    if (dashboard) {
      syncPeriodFields(dashboard);
      dashboard.addEventListener("change", function () { syncPeriodFields(dashboard); });
    }
    document.addEventListener("click", fillMarketDay);
    // Print buttons (an inline onclick would be refused by the Content-Security-Policy).
    document.addEventListener("click", function (event) {
      if (event.target.closest("[data-print]")) { window.print(); }
    });
  });
})();
