-- Neovim (0.11+) configuration for connect-policy-lsp, and the driver of the end-to-end test
-- tests/clients/test_neovim.py.
--
-- The first block is the configuration the README gives Neovim 0.11+ users, word for word.
--
-- Everything after it runs only when the environment variable CONNECT_POLICY_NVIM_TEST_OUT is
-- set (the test sets it; a user who copies this file gets the configuration alone). Run as
--
--   CONNECT_POLICY_NVIM_TEST_OUT=out.json nvim --headless --clean -u init.lua policy.json
--
-- with `connect-policy-lsp` on PATH. Once Neovim has started, the driver
--   1. waits for the connect_policy client to attach to the buffer and initialize,
--   2. waits for diagnostics on the buffer (Neovim 0.11 pulls them: textDocument/diagnostic),
--   3. asks for textDocument/hover and textDocument/completion, the cursor placed in the
--      buffer by searching for marker text (see below),
--   4. applies a quick fix the way a user does: with the cursor on a finding,
--      vim.lsp.buf.code_action({ apply = true, context = { only = { 'quickfix' } }, filter =
--      <preferred actions only> }) asks the server (textDocument/codeAction, the line's
--      diagnostics as context) and applies the one preferred quick fix with Neovim's own
--      vim.lsp.util.apply_workspace_edit; then it waits for the didChange that the edit sends
--      and for the diagnostics pulled after it, and reports the buffer's lines and the new
--      diagnostics (the buffer is not written),
--   5. types an action and completes it the way a user of Neovim's defaults does (the
--      default 'completeopt', omnifunc = vim.lsp.omnifunc): with the cursor in an empty
--      action string, the keys `i`, CONNECT_POLICY_NVIM_TYPE (default `connect:DescribeU`),
--      <C-x><C-o> go through Neovim's input as if typed; once the menu shows, <C-y> accepts
--      the selected item and <Esc> ends Insert mode; it reports the menu, the item selected,
--      and the line before and after. This step runs from Neovim's main loop (typed keys are
--      only processed there), on a timer,
--   6. stops the client and waits for the server process to exit,
--   7. writes everything as JSON to $CONNECT_POLICY_NVIM_TEST_OUT and quits with `qa!`
--      (exit status 0).
-- On a timeout, a server that exits or never starts, or any Lua error, it writes what it has
-- plus an "error" field and quits with `cquit 1` (exit status 1). Nothing waits for input.
--
-- Positions: CONNECT_POLICY_NVIM_HOVER and CONNECT_POLICY_NVIM_COMPLETE hold marker text to
-- find in the buffer (plain text, first occurrence, searched line by line), with one `|` where
-- the cursor goes; the `|` is not part of the searched text. Defaults:
--   hover:      "connect:Describe|User"   (cursor on the `U` of `"connect:DescribeUser"`)
--   completion: "connect:Desc|"           (cursor right after `"connect:Desc` in the string
--                                          `"connect:Desc"`, before its closing quote)
--   quick fix:  "connect:Describe|Usr"    (CONNECT_POLICY_NVIM_FIX; cursor on the `U` of
--                                          `"connect:DescribeUsr"`, an unknown action)
--   typing:     "Action": ["|"]           (CONNECT_POLICY_NVIM_TYPE_AT; cursor on the closing
--                                          quote of an empty action string)
-- The request positions are made by Neovim itself (vim.lsp.util.make_position_params) from
-- the window cursor, in the client's negotiated encoding.
-- CONNECT_POLICY_NVIM_TIMEOUT_MS: the overall time limit of steps 1-5 (default 20000).
-- CONNECT_POLICY_NVIM_DIAGNOSTICS_ONLY=1: steps 1, 2, 6 and 7 only (a YAML template, say,
-- where hover and completion are not offered yet).
--
-- Output JSON: {nvim_version, file, filetype, client_name, server_info, offset_encoding,
-- omnifunc, hover_mapped (K), diagnostics: [{code, severity, lnum, col, end_lnum, end_col,
-- message, source}], hover: {line, col, markdown}, completion: {line, col, labels},
-- quick_fix: {line, col, offered: [{title, kind, is_preferred}], applied, problem?,
-- changedtick_before, changedtick_after, did_change_sent, modified, lines, diagnostics},
-- typed: {line, col, keys, completeopt, menu: [words], selected, line_with_menu, line_after},
-- messages: [vim.notify messages], server_exited, error?}.
-- quick_fix.applied is false (with a `problem`) when no single preferred quick fix was
-- offered; the step then reports the unchanged buffer instead of failing, so that the test
-- can say what went wrong.
-- Lines and columns are Neovim's: 0-based, columns in bytes. Empty lists may come out as {}
-- (Lua cannot tell an empty array from an empty object).

vim.lsp.config('connect_policy', {
  cmd = { 'connect-policy-lsp', 'serve' },
  filetypes = { 'json', 'yaml', 'terraform', 'hcl' },
  root_markers = { '.git' },
})
vim.lsp.enable('connect_policy')

-- ---------------------------------------------------------------------------------------------
-- Test driver (only with CONNECT_POLICY_NVIM_TEST_OUT).

local out_path = os.getenv('CONNECT_POLICY_NVIM_TEST_OUT')
if not out_path or out_path == '' then
  return
end

local CLIENT_NAME = 'connect_policy'
local timeout_ms = tonumber(os.getenv('CONNECT_POLICY_NVIM_TIMEOUT_MS') or '') or 20000
local hover_marker = os.getenv('CONNECT_POLICY_NVIM_HOVER') or '"connect:Describe|User"'
local complete_marker = os.getenv('CONNECT_POLICY_NVIM_COMPLETE') or '"connect:Desc|"'
local fix_marker = os.getenv('CONNECT_POLICY_NVIM_FIX') or '"connect:Describe|Usr"'
local type_marker = os.getenv('CONNECT_POLICY_NVIM_TYPE_AT') or '"Action": ["|"]'
local typed_text = os.getenv('CONNECT_POLICY_NVIM_TYPE') or 'connect:DescribeU'
local diagnostics_only = os.getenv('CONNECT_POLICY_NVIM_DIAGNOSTICS_ONLY') == '1'

local report = { messages = {} }

-- Keep messages (e.g. "Client connect_policy quit with exit code 1") for the report instead of
-- echoing them: nothing may ever wait for a key press.
vim.notify = function(msg, level)
  table.insert(report.messages, { level = level or vim.log.levels.INFO, message = tostring(msg) })
end

local function write_report()
  local file = assert(io.open(out_path, 'w'))
  file:write(vim.json.encode(report))
  file:close()
end

local function fail(message)
  error({ driver_failure = message }, 0)
end

local deadline -- vim.uv.now() value; set when the driver starts

local function remaining()
  return math.max(deadline - vim.uv.now(), 0)
end

--- Waits (processing events) until `predicate` returns a non-nil value, which is returned;
--- fails with "timeout while <what>" when the overall time is up.
local function wait_for(what, predicate)
  local value
  vim.wait(remaining(), function()
    value = predicate()
    return value ~= nil
  end, 20)
  if value == nil then
    fail(('timeout after %d ms while %s'):format(timeout_ms, what))
  end
  return value
end

--- The (row, col) of the first match of a marker ("text|text"): row 1-based and col a 0-based
--- byte index, as nvim_win_set_cursor takes them.
local function find_marker(bufnr, marker)
  local bar = marker:find('|', 1, true)
  if not bar then
    fail('marker without |: ' .. marker)
  end
  local needle = marker:sub(1, bar - 1) .. marker:sub(bar + 1)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local start = line:find(needle, 1, true)
    if start then
      return i, start - 1 + (bar - 1)
    end
  end
  fail('marker not found in the buffer: ' .. marker)
end

local function hover_markdown(result)
  if result == nil or result == vim.NIL then
    return nil
  end
  local contents = result.contents
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then -- MarkupContent or MarkedString {language, value}
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, type(part) == 'string' and part or part.value)
  end
  return table.concat(parts, '\n')
end

local function request(client, bufnr, method, params)
  local response, err = client:request_sync(method, params, math.max(remaining(), 1), bufnr)
  if not response then
    fail(('%s failed: %s'):format(method, tostring(err)))
  end
  if response.err then
    fail(('%s returned an error: %s'):format(method, vim.inspect(response.err)))
  end
  return response.result
end

--- The buffer's diagnostics as vim.diagnostic holds them, sorted by position.
local function diagnostics_of(bufnr)
  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  local found = {}
  for _, d in ipairs(diagnostics) do
    table.insert(found, {
      code = d.code,
      severity = d.severity,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      message = d.message,
      source = d.source,
    })
  end
  return found
end

--- Step 4: the preferred quick fix at the cursor, through vim.lsp.buf.code_action, then the
--- diagnostics the server gives for the edited buffer.
local function apply_preferred_quick_fix(client, bufnr, line, col)
  local result = { line = line, col = col, offered = {}, applied = false }
  local tick = vim.api.nvim_buf_get_changedtick(bufnr)
  result.changedtick_before = tick

  -- Neovim asks vim.ui.select when more than one action is left after filtering; in a test
  -- that is a failure (and the default select would wait for input).
  local asked_to_choose
  vim.ui.select = function(items, _, on_choice)
    asked_to_choose = #items
    on_choice(nil)
  end
  -- When the edit reaches the server (didChange, debounced), and each diagnostics update after.
  local did_change_at, diagnostics_at
  local group = vim.api.nvim_create_augroup('connect_policy_quick_fix', { clear = true })
  vim.api.nvim_create_autocmd('LspNotify', {
    group = group,
    buffer = bufnr,
    callback = function(args)
      if args.data.client_id == client.id and args.data.method == 'textDocument/didChange'
          and vim.api.nvim_buf_get_changedtick(bufnr) ~= tick then
        did_change_at = vim.uv.now()
      end
    end,
  })
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    group = group,
    buffer = bufnr,
    callback = function()
      if did_change_at then
        diagnostics_at = vim.uv.now()
      end
    end,
  })

  local messages_before = #report.messages
  vim.lsp.buf.code_action({
    context = { only = { 'quickfix' } },
    apply = true,
    filter = function(action)
      table.insert(result.offered, {
        title = action.title,
        kind = action.kind,
        is_preferred = action.isPreferred == true,
      })
      return action.isPreferred == true
    end,
  })
  -- The answer comes asynchronously; the edit is applied in its callback.
  result.problem = wait_for('waiting for the quick fix to be applied', function()
    if vim.api.nvim_buf_get_changedtick(bufnr) ~= tick then
      return vim.NIL
    end
    if asked_to_choose then
      return ('%d preferred quick fixes at the cursor, not one'):format(asked_to_choose)
    end
    for i = messages_before + 1, #report.messages do
      if report.messages[i].message:find('No code actions available', 1, true) then
        return 'no preferred quick fix at the cursor'
      end
    end
  end)
  if result.problem == vim.NIL then
    result.problem = nil
    result.applied = true
    -- New diagnostics: the edit's didChange went out, diagnostics were pulled after it, and
    -- nothing changed for half a second since.
    wait_for('waiting for the diagnostics after the quick fix', function()
      if diagnostics_at and vim.uv.now() - diagnostics_at >= 500 then
        return true
      end
    end)
  end
  vim.api.nvim_del_augroup_by_id(group)
  result.changedtick_after = vim.api.nvim_buf_get_changedtick(bufnr)
  result.did_change_sent = did_change_at ~= nil
  result.modified = vim.bo[bufnr].modified
  result.lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  result.diagnostics = diagnostics_of(bufnr)
  return result
end

local function drive()
  deadline = vim.uv.now() + timeout_ms
  report.nvim_version = tostring(vim.version())
  local bufnr = vim.api.nvim_get_current_buf()
  report.file = vim.api.nvim_buf_get_name(bufnr)
  report.filetype = vim.bo[bufnr].filetype

  -- vim.lsp.enable starts the client synchronously on FileType, before VimEnter: no client
  -- now means it could not be spawned (not on PATH, not executable, wrong filetype).
  local started = vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true })[1]
  if not started then
    fail('no ' .. CLIENT_NAME .. ' client was started for this buffer '
      .. '(is connect-policy-lsp on PATH? filetype: ' .. vim.bo[bufnr].filetype .. ')')
  end
  local client_id = started.id

  local function gone()
    local c = vim.lsp.get_client_by_id(client_id)
    return c == nil or c:is_stopped()
  end

  local client = wait_for('waiting for the client to attach and initialize', function()
    if gone() then
      fail('the language server exited before it initialized')
    end
    local c = vim.lsp.get_clients({ id = client_id, bufnr = bufnr })[1]
    if c and c.initialized then
      return c
    end
  end)
  report.client_name = client.name
  report.server_info = client.server_info
  report.offset_encoding = client.offset_encoding
  -- What Neovim sets up on attach for the user: <C-X><C-O> completion and K for hover.
  report.omnifunc = vim.bo[bufnr].omnifunc
  report.hover_mapped = vim.api.nvim_buf_call(bufnr, function()
    return vim.fn.maparg('K', 'n') ~= ''
  end)

  wait_for('waiting for diagnostics', function()
    if gone() then
      fail('the language server exited before it sent diagnostics')
    end
    if #vim.diagnostic.get(bufnr) > 0 then
      return true
    end
  end)
  report.diagnostics = diagnostics_of(bufnr)
  if diagnostics_only then
    return nil
  end

  local win = vim.api.nvim_get_current_win()
  local encoding = client.offset_encoding

  local row, col = find_marker(bufnr, hover_marker)
  vim.api.nvim_win_set_cursor(win, { row, col })
  local hover = request(client, bufnr, 'textDocument/hover',
    vim.lsp.util.make_position_params(win, encoding))
  report.hover = { line = row - 1, col = col, markdown = hover_markdown(hover) }

  row, col = find_marker(bufnr, complete_marker)
  vim.api.nvim_win_set_cursor(win, { row, col })
  local params = vim.lsp.util.make_position_params(win, encoding)
  params.context = { triggerKind = 1 } -- Invoked
  local completion = request(client, bufnr, 'textDocument/completion', params)
  local items = {}
  if completion ~= nil and completion ~= vim.NIL then
    items = completion.items or completion
  end
  local labels = {}
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
  end
  report.completion = { line = row - 1, col = col, labels = labels }

  row, col = find_marker(bufnr, fix_marker)
  vim.api.nvim_win_set_cursor(win, { row, col })
  report.quick_fix = apply_preferred_quick_fix(client, bufnr, row - 1, col)
  return bufnr, win
end

--- Step 5: type an action and accept the first completion, as a user with Neovim's defaults
--- does. Runs from the main loop: `done(err)` is called when the line is final (err nil), or
--- with an error message on a timeout.
local function type_and_accept(bufnr, win, done)
  local row, col = find_marker(bufnr, type_marker)
  vim.api.nvim_win_set_cursor(win, { row, col })
  local result = { line = row - 1, col = col, keys = typed_text, completeopt = vim.o.completeopt }
  report.typed = result
  -- `i` on the closing quote inserts before it; the text as typed, then omni completion.
  -- 'n': no mappings, 't': as if typed (so it is undoable and triggers what typing does).
  vim.api.nvim_feedkeys(vim.keycode('i' .. typed_text .. '<C-x><C-o>'), 'nt', false)
  local phase = 'waiting for the completion menu'
  local timer = assert(vim.uv.new_timer())
  local function finish(err)
    timer:stop()
    timer:close()
    done(err)
  end
  timer:start(20, 20, vim.schedule_wrap(function()
    if timer:is_closing() then
      return
    end
    if phase == 'waiting for the completion menu' and vim.fn.pumvisible() == 1 then
      local info = vim.fn.complete_info({ 'items', 'selected' })
      result.menu = vim.tbl_map(function(item)
        return item.word
      end, info.items)
      result.selected = info.selected
      -- With the default 'completeopt' (no noinsert/noselect), the selected item is in
      -- the buffer already.
      result.line_with_menu = vim.api.nvim_get_current_line()
      phase = 'waiting for Normal mode after <C-y><Esc>'
      vim.api.nvim_feedkeys(vim.keycode('<C-y><Esc>'), 'nt', false)
    elseif phase ~= 'waiting for the completion menu' and vim.api.nvim_get_mode().mode == 'n' then
      result.line_after = vim.api.nvim_buf_get_lines(bufnr, row - 1, row, false)[1]
      finish(nil)
    elseif remaining() == 0 then
      finish(('timeout after %d ms while %s'):format(timeout_ms, phase))
    end
  end))
end

--- Stops the client (shutdown + exit) and waits for the server process to end, so that no
--- server outlives the test (Neovim starts servers detached, in their own process group).
local function stop_clients()
  local clients = vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true })
  for _, c in ipairs(clients) do
    c:stop()
  end
  local exited = vim.wait(3000, function()
    return #vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true }) == 0
  end, 20)
  if not exited then
    for _, c in ipairs(vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true })) do
      c:stop(true) -- SIGTERM
    end
    vim.wait(2000, function()
      return #vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true }) == 0
    end, 20)
  end
  report.server_exited = #vim.lsp.get_clients({ name = CLIENT_NAME, _uninitialized = true }) == 0
end

--- Steps 6 and 7: stop the server, write the report, quit (exit status 1 on an error).
local function finish(ok, err)
  if not ok then
    report.error = type(err) == 'table' and err.driver_failure or tostring(err)
  end
  pcall(stop_clients)
  local written, write_err = pcall(write_report)
  if ok and written then
    vim.cmd('qa!')
  else
    if not written then
      io.stderr:write('cannot write the report: ' .. tostring(write_err) .. '\n')
    end
    vim.cmd('cquit 1')
  end
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, bufnr_or_err, win = pcall(drive)
    if not ok then
      finish(false, bufnr_or_err)
      return
    end
    if diagnostics_only then
      finish(true)
      return
    end
    local started, err = pcall(type_and_accept, bufnr_or_err, win, function(step_err)
      vim.schedule(function()
        finish(step_err == nil, step_err)
      end)
    end)
    if not started then
      finish(false, err)
    end
  end,
})
