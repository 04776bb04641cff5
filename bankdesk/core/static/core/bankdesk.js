// BankDesk's own script: behaviour that templates would otherwise write inline (forbidden by the
// Content-Security-Policy, script-src 'self'). Every page works without it; it adds the drawer menu,
// the keyboard menu, and the form helpers.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    // <select data-submit-on-change>: submit its form at once (the language switch).
    if (event.target.matches("select[data-submit-on-change]")) {
      event.target.form.submit();
    }
  });

  // --- The side menu: a drawer on the phone; folded groups are remembered in a cookie the server reads.
  var NAV_COOKIE = "bd_nav_closed";

  function setDrawer(open) {
    var toggle = document.querySelector("[data-nav-toggle]");
    document.body.classList.toggle("nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var first = document.querySelector("#sidenav a, #sidenav summary");
      if (first) first.focus();
    } else if (toggle && document.activeElement && document.activeElement.closest("#sidenav")) {
      toggle.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-nav-toggle]")) {
      setDrawer(!document.body.classList.contains("nav-open"));
    } else if (event.target.closest("[data-nav-close]")) {
      setDrawer(false);
    }
  });

  document.addEventListener("toggle", function (event) {
    var group = event.target;
    if (!group.matches || !group.matches("details.navgroup")) return;
    var closed = Array.prototype.map.call(document.querySelectorAll("details.navgroup:not([open])"), function (g) {
      return g.dataset.group;
    });
    document.cookie = NAV_COOKIE + "=" + encodeURIComponent(closed.join(",")) + "; path=/; max-age=31536000; SameSite=Lax";
  }, true);

  // --- Menus ([data-menu]): a button opens a list of items; arrows move, Escape closes, Tab leaves.
  function menuItems(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role^=menuitem]"));
  }

  function openMenu(menu, focusLast) {
    var button = menu.querySelector("[aria-haspopup]");
    var list = menu.querySelector("[role=menu]");
    list.hidden = false;
    button.setAttribute("aria-expanded", "true");
    var items = menuItems(list);
    if (items.length) items[focusLast ? items.length - 1 : 0].focus();
  }

  function closeMenu(menu, returnFocus) {
    var button = menu.querySelector("[aria-haspopup]");
    var list = menu.querySelector("[role=menu]");
    if (list.hidden) return;
    list.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (returnFocus) button.focus();
  }

  function closeAllMenus(except) {
    document.querySelectorAll("[data-menu]").forEach(function (menu) {
      if (menu !== except) closeMenu(menu, false);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-menu] [aria-haspopup]");
    var menu = event.target.closest("[data-menu]");
    closeAllMenus(menu);
    if (!button) return;
    var list = menu.querySelector("[role=menu]");
    if (list.hidden) openMenu(menu, false); else closeMenu(menu, true);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) {
      setDrawer(false);
      return;
    }
    var menu = event.target.closest && event.target.closest("[data-menu]");
    if (!menu) return;
    var list = menu.querySelector("[role=menu]");
    var onButton = event.target.matches("[aria-haspopup]");
    if (onButton && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      openMenu(menu, event.key === "ArrowUp");
      return;
    }
    if (list.hidden || onButton) return;
    var items = menuItems(list);
    var index = items.indexOf(document.activeElement);
    var moves = {ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1};
    if (event.key in moves) {
      event.preventDefault();
      items[(moves[event.key] + items.length) % items.length].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeMenu(menu, true);
    } else if (event.key === "Tab") {
      closeMenu(menu, false);
    }
  });

  // --- Links that open a folded part of the page ([data-open-step], href="#id"): the complaint page's primary action
  // and its "more actions" menu open the step's form in place and put the cursor in its first field.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("a[data-open-step]");
    if (!opener) return;
    var target = document.getElementById((opener.getAttribute("href") || "").slice(1));
    if (!target) return;
    event.preventDefault();
    var menu = opener.closest("[data-menu]");
    if (menu) closeMenu(menu, false);
    if (target.tagName === "DETAILS") target.open = true;
    target.scrollIntoView({block: "start"});
    var field = target.querySelector("textarea, select, input:not([type=hidden]), button");
    (field || target).focus({preventScroll: true});
  });

  // --- Forms: every problem shown at once, counters on limited fields, uploads too large refused before sending.
  var messages = {};
  var source = document.getElementById("bd-messages");
  if (source) messages = JSON.parse(source.textContent);

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function fieldLabel(element) {
    var label = element.id && element.form.querySelector("label[for='" + element.id + "']");
    var text = label ? label.textContent : (element.getAttribute("aria-label") || element.name);
    return text.replace(/\s*\*\s*$/, "").trim();
  }

  function problemOf(element) {
    // "required" in the page's language; the browser's own words for the rest (a wrong e-mail address…)
    return element.validity.valueMissing && messages.required ? messages.required : element.validationMessage;
  }

  function fieldBox(element) {
    return element.closest(".field, label, fieldset") || element.parentNode;
  }

  function showFieldError(element) {
    var box = fieldBox(element);
    var shown = box.querySelector(".client-error[data-for='" + element.name + "']");
    if (element.validity.valid) {
      if (shown) shown.remove();
      element.removeAttribute("aria-invalid");
      return;
    }
    if (!shown) {
      shown = document.createElement("p");
      shown.className = "client-error";
      shown.dataset.for = element.name;
      shown.id = "error-" + (element.id || element.name);
      box.appendChild(shown);
    }
    shown.textContent = problemOf(element);
    element.setAttribute("aria-invalid", "true");
    element.setAttribute("aria-describedby", shown.id);
  }

  function showSummary(form, problems) {
    var summary = form.querySelector(":scope > .error-summary");
    if (summary) summary.remove();
    if (problems.length < 2) return null;
    summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.textContent = format(messages.errors_heading, {count: problems.length});
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + problem.id;
      link.textContent = problem.label + "：" + problem.message;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    return summary;
  }

  function checkFiles(input) {
    var maxBytes = parseInt(input.dataset.maxBytes || "0", 10);
    var maxFiles = parseInt(input.dataset.maxFiles || "0", 10);
    var problem = "";
    if (maxFiles && input.files.length > maxFiles) {
      problem = format(messages.too_many_files, {count: maxFiles});
    }
    Array.prototype.forEach.call(input.files, function (file) {
      if (!problem && maxBytes && file.size > maxBytes) {
        problem = format(messages.file_too_large, {name: file.name, size: Math.round(maxBytes / 1048576)});
      }
    });
    input.setCustomValidity(problem);
  }

  function validate(form) {
    var problems = [];
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.willValidate || seen[element.name]) return;
      if (element.type === "file") checkFiles(element);
      showFieldError(element);
      if (!element.validity.valid) {
        seen[element.name] = true;
        problems.push({id: element.id, label: fieldLabel(element), message: problemOf(element)});
      }
    });
    return problems;
  }

  function enhanceForm(form) {
    if (form.dataset.enhanced) return;
    form.dataset.enhanced = "1";
    form.noValidate = true;  // the browser would show one problem per submit; validate() shows them all
    var serverErrors = Array.prototype.map.call(form.querySelectorAll(".field.has-error"), function (box) {
      var element = box.querySelector("input, select, textarea");
      var error = box.querySelector(".error");
      return {id: element ? element.id : "", label: element ? fieldLabel(element) : "", message: error ? error.textContent : ""};
    });
    showSummary(form, serverErrors);
    form.querySelectorAll("input[maxlength], textarea[maxlength]").forEach(addCounter);
  }

  function addCounter(element) {
    if (element.dataset.noCounter !== undefined || element.closest(".filters") || element.type === "hidden") return;
    if (["text", "textarea", "email", "url", "search", "tel"].indexOf(element.type) < 0) return;
    var counter = document.createElement("span");
    counter.className = "char-counter";
    counter.setAttribute("aria-live", "polite");
    element.insertAdjacentElement("afterend", counter);
    element.bdCounter = counter;
    updateCounter(element);
  }

  function updateCounter(element) {
    var counter = element.bdCounter;
    if (!counter) return;
    var limit = parseInt(element.getAttribute("maxlength"), 10);
    var used = Array.from(element.value).length;
    counter.textContent = used + " / " + limit;
    // a text area always shows it; a one-line field once it is nearly full
    counter.hidden = element.tagName !== "TEXTAREA" && used < limit * 0.8;
    counter.classList.toggle("near", used >= limit * 0.9 && used <= limit);
    counter.classList.toggle("over", used > limit);
  }

  // --- Lists on the phone: each row of a table.list becomes a card of "heading: value" lines (CSS below 640 px);
  // a table marked .scroll keeps its columns and scrolls inside itself instead.
  function labelCells(table) {
    if (table.dataset.cards || table.classList.contains("scroll")) return;
    var headings = [];
    table.querySelectorAll("thead tr:last-child th, thead tr:last-child td").forEach(function (cell) {
      for (var span = 0; span < (cell.colSpan || 1); span++) headings.push(cell.textContent.replace(/[▲▼]/g, "").trim());
    });
    if (!headings.length) return;
    table.dataset.cards = "1";
    table.classList.add("cards-on-phone");
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (headings[column] && !cell.dataset.label) cell.dataset.label = headings[column];
        column += cell.colSpan || 1;
      });
    });
  }

  // A step's form fetched on opening ([data-focus]): the cursor goes to its first field.
  function focusOpened(root) {
    var box = root.matches && root.matches("[data-focus]") ? root : root.querySelector && root.querySelector("[data-focus]");
    if (!box) return;
    box.removeAttribute("data-focus");
    var field = box.querySelector("textarea, select, input:not([type=hidden]), button");
    if (field) field.focus();
  }

  function enhanceAll(root) {
    (root.matches && root.matches("form") ? [root] : root.querySelectorAll("form")).forEach(enhanceForm);
    (root.matches && root.matches("table.list") ? [root] : root.querySelectorAll("table.list")).forEach(labelCells);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-skip-check")) return;
    var problems = validate(form);
    if (!problems.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var summary = showSummary(form, problems);
    var first = summary || document.getElementById(problems[0].id);
    if (first) first.focus();
  }, true);

  document.addEventListener("input", function (event) { updateCounter(event.target); });
  document.addEventListener("change", function (event) {
    var element = event.target;
    if (element.type === "file") checkFiles(element);
    if (element.form && element.getAttribute("aria-invalid")) showFieldError(element);
    if (element.type === "file") showFieldError(element);
  });

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); focusOpened(event.target); });
})();
