// Progressive enhancement of the compliance upload form: a chosen file is read into the form's text
// field (which can also be pasted into without script), so one plain form post carries the report.
(function () {
  "use strict";
  var file = document.getElementById("report-file");
  var text = document.getElementById("report");
  if (!file || !text || typeof FileReader === "undefined") return;
  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0];
    if (!chosen) return;
    var reader = new FileReader();
    reader.onload = function () {
      text.value = String(reader.result || "");
    };
    reader.readAsText(chosen);
  });
})();
