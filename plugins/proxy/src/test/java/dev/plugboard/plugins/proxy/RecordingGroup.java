package dev.plugboard.plugins.proxy;

import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.dynamic.DynamicSubscriptions;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.api.dynamic.ToolGroup;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The catalogue's side of one upstream: records the tool names, resource URIs and prompt names of each list. */
final class RecordingGroup implements ToolGroup {

    final BlockingQueue<List<String>> tools = new LinkedBlockingQueue<>();
    final BlockingQueue<List<String>> resources = new LinkedBlockingQueue<>();
    final BlockingQueue<List<String>> prompts = new LinkedBlockingQueue<>();

    @Override
    public String name() {
        return "up";
    }

    @Override
    public List<String> setTools(List<DynamicTool> listed) {
        tools.add(listed.stream().map(DynamicTool::name).toList());
        return List.of();
    }

    @Override
    public List<String> setResources(List<DynamicResource> listed, List<DynamicResourceTemplate> templates) {
        resources.add(listed.stream().map(DynamicResource::uri).toList());
        return List.of();
    }

    @Override
    public List<String> setPrompts(List<DynamicPrompt> listed) {
        prompts.add(listed.stream().map(DynamicPrompt::name).toList());
        return List.of();
    }

    @Override
    public void requireRole(String role) {
    }

    @Override
    public void onSubscriptions(DynamicSubscriptions subscriptions) {
    }

    @Override
    public void close() {
    }
}
