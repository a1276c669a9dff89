// The console's only script of its own. Pages work without it; it adds the CSRF header to htmx requests,
// installs a jar dropped on the upload form, and switches between the light and dark themes.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute('content') : '';
  document.addEventListener('htmx:configRequest', function (event) {
    if (token) {
      event.detail.headers['X-CSRF-Token'] = token;
    }
  });

  document.querySelectorAll('form.dropzone').forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    form.addEventListener('dragover', function (event) {
      event.preventDefault();
      form.classList.add('dragging');
    });
    form.addEventListener('dragleave', function () {
      form.classList.remove('dragging');
    });
    form.addEventListener('drop', function (event) {
      event.preventDefault();
      form.classList.remove('dragging');
      if (event.dataTransfer && event.dataTransfer.files.length > 0) {
        input.files = event.dataTransfer.files;
        form.requestSubmit();
      }
    });
  });

  var root = document.documentElement;
  var saved = window.localStorage ? localStorage.getItem('plugboard-theme') : null;
  if (saved === 'light' || saved === 'dark') {
    root.setAttribute('data-theme', saved);
  }
  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener('click', function () {
      var dark = root.getAttribute('data-theme') === 'dark'
        || (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
      var next = dark ? 'light' : 'dark';
      root.setAttribute('data-theme', next);
      if (window.localStorage) {
        localStorage.setItem('plugboard-theme', next);
      }
    });
  }
}());
