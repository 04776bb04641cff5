// BankDesk's own script: behaviour that templates would otherwise write inline (forbidden by the
// Content-Security-Policy, script-src 'self').
document.addEventListener("change", function (event) {
  // <select data-submit-on-change>: submit its form at once (the language switch).
  if (event.target.matches("select[data-submit-on-change]")) {
    event.target.form.submit();
  }
});
