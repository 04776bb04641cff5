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
})();
