// nofakes HTML report: sorting by column and a filter box above long tables.
// Progressive enhancement: without this script every table is complete and in report order.
(function () {
  "use strict";
  function key(cell) {
    var text = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var number = Number(text.replace(/[,+%]/g, "").trim());
    return text.trim() !== "" && !isNaN(number) ? number : text.trim().toLowerCase();
  }
  function compare(a, b) {
    if (typeof a === typeof b) { return a < b ? -1 : a > b ? 1 : 0; }
    return typeof a === "number" ? -1 : 1;  // numbers before text, blanks last
  }
  function sortBy(table, column, th) {
    var body = table.tBodies[0];
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.map.call(body.rows, function (row, index) {
      return { row: row, key: key(row.cells[column]), index: index };
    });
    rows.sort(function (x, y) {
      return (descending ? compare(y.key, x.key) : compare(x.key, y.key)) || x.index - y.index;
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    var fragment = document.createDocumentFragment();
    rows.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }
  function addFilter(table) {
    var rows = table.tBodies[0].rows;
    var texts = null;
    var box = document.createElement("div");
    box.className = "controls";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows (any text)";
    input.setAttribute("aria-label", "Filter the rows of this table");
    var count = document.createElement("span");
    count.className = "muted";
    count.textContent = rows.length + " rows";
    box.appendChild(input);
    box.appendChild(count);
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (texts === null) {
          texts = Array.prototype.map.call(rows, function (row) { return row.textContent.toLowerCase(); });
        }
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        Array.prototype.forEach.call(rows, function (row, index) {
          var match = words.every(function (word) { return texts[index].indexOf(word) >= 0; });
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        count.textContent = words.length ? shown + " of " + rows.length + " rows" : rows.length + " rows";
      }, 150);
    });
    table.parentNode.insertBefore(box, table);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      // the header text stays as it is (it prints on every page); a small button after it sorts
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.setAttribute("aria-label", "Sort by " + th.textContent);
      th.appendChild(button);
      th.addEventListener("click", function () { sortBy(table, column, th); });
    });
    if (table.getAttribute("data-filter") && table.tBodies[0].rows.length > 5) { addFilter(table); }
  });
})();
