// The page's words in the desk's language: the server puts them in the
// page (texts.go, from the catalogue's deskpage.json) and the page's
// scripts say them by key. A count of 1 takes the key's singular, KEY.one,
// where it has one, as the server's printer does.
"use strict";
const deskTexts = JSON.parse(document.getElementById("texts")?.textContent || "{}");
const t = (key, args) => {
  const one = args && Object.values(args).some((v) => v === 1) && deskTexts[key + ".one"];
  return (one || deskTexts[key] || key).replace(/\{(\w+)\}/g, (m, n) => (args && n in args ? String(args[n]) : m));
};
