(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var KEY = "qadeck.lang";
  root.classList.remove("no-js");
  root.classList.add("js");

  function store(name, value) {
    try { if (value === undefined) return localStorage.getItem(name); localStorage.setItem(name, value); }
    catch (e) { return null; }
  }
  function setLang(lang) {
    if (["zh", "en", "both"].indexOf(lang) < 0) return;
    body.setAttribute("data-lang", lang);
    root.setAttribute("lang", lang === "en" ? "en" : "zh-CN");
    document.querySelectorAll("[data-set-lang]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-set-lang") === lang));
    });
    store(KEY, lang);
  }
  document.querySelectorAll("[data-set-lang]").forEach(function (b) {
    b.addEventListener("click", function () { setLang(b.getAttribute("data-set-lang")); });
  });
  setLang(store(KEY) || body.getAttribute("data-lang"));

  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  function setOpen(card, open) {
    card.classList.toggle("open", open);
    card.querySelector(".reveal").setAttribute("aria-expanded", String(open));
  }
  cards.forEach(function (card) {
    setOpen(card, false);
    card.querySelector(".reveal").addEventListener("click", function () {
      setOpen(card, !card.classList.contains("open"));
    });
  });
  var all = document.getElementById("toggle-all");
  all.addEventListener("click", function () {
    var open = all.getAttribute("aria-pressed") !== "true";
    all.setAttribute("aria-pressed", String(open));
    cards.forEach(function (c) { setOpen(c, open); });
  });

  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var card = id && document.getElementById(id);
    if (card && card.classList.contains("card")) { setOpen(card, true); }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  var search = document.getElementById("search");
  var count = document.getElementById("count");
  var texts = cards.map(function (c) { return c.textContent.toLowerCase().replace(/\s+/g, " "); });
  function filter() {
    var words = search.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, i) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      card.hidden = !hit;
      if (hit) shown++;
    });
    document.querySelectorAll("main > section.section:not(.glossary)").forEach(function (s) {
      s.hidden = words.length > 0 && !s.querySelector("article.card:not([hidden])");
    });
    document.querySelectorAll("h3.group").forEach(function (g) {
      var n = g.nextElementSibling, any = false;
      while (n && n.tagName === "ARTICLE") { if (!n.hidden) any = true; n = n.nextElementSibling; }
      g.hidden = words.length > 0 && !any;
    });
    count.textContent = words.length ? shown + " / " + cards.length : "";
    document.getElementById("empty").hidden = shown > 0;
  }
  search.addEventListener("input", filter);
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== search) { e.preventDefault(); search.focus(); }
    if (e.key === "Escape" && document.activeElement === search) { search.value = ""; filter(); }
  });
})();
