// Ask before a consequential action: a submit button (or its form) with `data-confirm` shows
// its question; "Cancel" leaves the page as it was. Loaded on every page of the layout.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
